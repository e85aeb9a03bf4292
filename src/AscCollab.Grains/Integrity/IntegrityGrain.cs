using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace AscCollab.Grains;

/// <summary>The integrity incidents registry; see <see cref="IIntegrityGrain"/>. Its state is one plain state row.</summary>
[GrainType("integrity")]
internal sealed partial class IntegrityGrain(
    [PersistentState("state", "store")] IPersistentState<IntegrityState> store,
    IChairmanship chairmanship,
    TimeProvider time,
    ILogger<IntegrityGrain> logger) : AscGrain, IIntegrityGrain
{
    /// <summary>Incidents kept; past it the oldest acknowledged ones go first (open ones are always kept).</summary>
    internal const int MaxKept = 1_000;

    private const int MaxDetail = 2_000;
    private const int MaxLocation = 200;
    private const int MaxReason = 2_000;

    public async Task<IntegrityIncident> Report(IntegrityReport report)
    {
        if (!IntegrityIncidentKinds.IsValid(report.Kind))
        {
            throw DomainException.InvalidInput("An incident kind is lower-case letters and '_', at most 40.");
        }
        var now = time.GetUtcNow();
        var incidents = store.State.Incidents;
        var index = incidents.FindIndex(i => i.Open && i.Kind == report.Kind && i.ProposalId == report.ProposalId && i.Location == Cut(report.Location, MaxLocation));
        IntegrityIncident incident;
        if (index >= 0)
        {
            var known = incidents[index];
            incident = known with { LastSeenAt = now, Occurrences = known.Occurrences + 1, Holds = known.Holds || report.Holds, Detail = Cut(report.Detail, MaxDetail) };
            incidents[index] = incident;
        }
        else
        {
            store.State.LastId++;
            incident = new IntegrityIncident(
                $"i-{store.State.LastId}", report.Kind, report.ProposalId, Cut(report.Location, MaxLocation), Cut(report.Detail, MaxDetail),
                Cut(report.Reporter, 40), report.Holds, now, now, 1, null);
            incidents.Add(incident);
            Trim(incidents);
            LogIncident(logger, incident.Id, incident.Kind, incident.ProposalId ?? "-", incident.Location, incident.Detail, incident.Reporter);
        }
        await store.WriteStateAsync();
        Publish(new IntegrityIncidentChanged(incident, Audience.ChairAndSecretariat));
        return incident;
    }

    public Task<IReadOnlyList<IntegrityIncident>> List(Caller caller)
    {
        if (caller.Role != CallerRole.Secretariat && !chairmanship.HasChairRights(caller))
        {
            throw DomainException.Forbidden("Integrity incidents are for the Chair and the secretariat.");
        }
        return Task.FromResult<IReadOnlyList<IntegrityIncident>>([.. store.State.Incidents.AsEnumerable().Reverse()]);
    }

    public async Task<IntegrityIncident> Acknowledge(Caller caller, string incidentId, string reason)
    {
        RequireSecretariat(caller);
        var why = RequireReason(reason);
        var incidents = store.State.Incidents;
        var index = incidents.FindIndex(i => i.Id == incidentId);
        if (index < 0)
        {
            throw DomainException.NotFound($"There is no integrity incident '{Cut(incidentId, 40)}'.");
        }
        var incident = incidents[index];
        if (!incident.Open)
        {
            throw DomainException.InvalidTransition($"Incident {incident.Id} is already acknowledged.");
        }
        if (incident.Holds)
        {
            throw DomainException.InvalidTransition(
                $"Incident {incident.Id} holds proposal {incident.ProposalId}: acknowledge it with POST /api/proposals/{incident.ProposalId}/integrity/acknowledge, which lifts the hold.");
        }
        incident = incident with { Acknowledgement = new IntegrityAcknowledgement(caller.Member, caller.Role, why, time.GetUtcNow()) };
        incidents[index] = incident;
        await store.WriteStateAsync();
        LogAcknowledged(logger, incident.Id, caller.Member, why);
        Publish(new IntegrityIncidentChanged(incident, Audience.ChairAndSecretariat));
        return incident;
    }

    public async Task<IReadOnlyList<IntegrityIncident>> AcknowledgeProposal(string proposalId, IntegrityAcknowledgement acknowledgement)
    {
        var incidents = store.State.Incidents;
        var changed = new List<IntegrityIncident>();
        for (var i = 0; i < incidents.Count; i++)
        {
            if (incidents[i].Open && incidents[i].ProposalId == proposalId)
            {
                incidents[i] = incidents[i] with { Acknowledgement = acknowledgement };
                changed.Add(incidents[i]);
            }
        }
        if (changed.Count > 0)
        {
            await store.WriteStateAsync();
            foreach (var incident in changed)
            {
                LogAcknowledged(logger, incident.Id, acknowledgement.Member, acknowledgement.Reason);
                Publish(new IntegrityIncidentChanged(incident, Audience.ChairAndSecretariat));
            }
        }
        return changed;
    }

    public Task<IntegrityStatus> Status()
    {
        var open = store.State.Incidents.Where(i => i.Open).ToList();
        return Task.FromResult(new IntegrityStatus(
            open.Count,
            [.. open.Select(i => i.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. open.Where(i => i.Holds && i.ProposalId is not null).Select(i => i.ProposalId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]));
    }

    private static void RequireSecretariat(Caller caller)
    {
        if (caller.Role != CallerRole.Secretariat)
        {
            throw DomainException.Forbidden("Only the secretariat acknowledges integrity incidents.");
        }
    }

    internal static string RequireReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.InvalidInput("The reason is required.");
        }
        if (reason.Length > MaxReason)
        {
            throw DomainException.TooLarge($"The reason is longer than {MaxReason} characters.");
        }
        if (reason.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r'))
        {
            throw DomainException.InvalidInput("The reason contains control characters.");
        }
        return reason.Trim();
    }

    private static void Trim(List<IntegrityIncident> incidents)
    {
        while (incidents.Count > MaxKept && incidents.FindIndex(i => !i.Open) is var oldest and >= 0)
        {
            incidents.RemoveAt(oldest);
        }
    }

    private static string Cut(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..max] + "…";

    [LoggerMessage(EventId = 1700, Level = LogLevel.Critical,
        Message = "Integrity incident {IncidentId}: {Kind} on proposal {ProposalId} at {Location}: {Detail} (reported by {Reporter}).")]
    private static partial void LogIncident(ILogger logger, string incidentId, string kind, string proposalId, string location, string detail, string reporter);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning,
        Message = "Integrity incident {IncidentId} acknowledged by {Member}: {Reason}.")]
    private static partial void LogAcknowledged(ILogger logger, string incidentId, string member, string reason);
}

public sealed class IntegrityState
{
    public long LastId { get; set; }

    public List<IntegrityIncident> Incidents { get; set; } = [];
}
