using AscCollab.Grains;

namespace AscCollab.Server;

// Amendments and comment threads go to the connections that have the proposal open and may see it.
internal sealed partial class LivePublisher
{
    private Task OnAnnotationAsync(string proposalId, Audience audience, string method, object message)
    {
        if (connections.Room(proposalId) is not { } room)
        {
            return Task.CompletedTask;
        }
        room.Audience = audience;
        return SendAsync(room.Recipients(c => access.MaySee(c.Caller, audience)), method, message);
    }
}
