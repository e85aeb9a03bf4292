using Microsoft.AspNetCore.Connections;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>The hub at <c>/hubs/collab</c>, its presence service and the publisher of grain events.</summary>
internal static class LiveSetup
{
    public const string HubPath = "/hubs/collab";

    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<LiveOptions>, LiveOptionsValidator>();
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.SectionName).ValidateOnStart();
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<LiveAccess>();
        services.AddSingleton<CollabHubFilter>();
        services.AddSingleton<LivePublisher>();
        services.AddSingleton<EditFunnel>();
        services.AddHostedService(sp => sp.GetRequiredService<LivePublisher>());
        services.Replace(ServiceDescriptor.Singleton<IMemoryPoolFactory<byte>, SharedArrayMemoryPoolFactory>());
        services.AddSingleton<IValidateOptions<MemoryOptions>, MemoryOptionsValidator>();
        services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IdleHeapCompactor>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleHeapCompactor>());
        services.AddSignalR(o =>
        {
            o.AddFilter<CollabHubFilter>();
            // One call at a time per connection: a client's edits reach the grain in the order it sent them.
            o.MaximumParallelInvocationsPerClient = 1;
        })
        // Enums by name only, as over REST: "position": 2 is refused, not read as Abstain.
        .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false)));
        // The same protocol, but arguments that do not bind are refused with a code (CodedHubProtocol).
        foreach (var json in services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
        {
            services.Remove(json);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubProtocol, CodedHubProtocol>());
        // SignalR's default manager, which also lets the publisher write to a connection directly.
        services.AddSingleton<CollabLifetimeManager>();
        services.AddSingleton<HubLifetimeManager<CollabHub>>(sp => sp.GetRequiredService<CollabLifetimeManager>());
        services.AddOptions<HubOptions>()
            .Configure<IOptions<LiveOptions>>((hub, live) => hub.MaximumReceiveMessageSize = live.Value.MaximumReceiveMessageSize);
        return builder;
    }

    public static WebApplication MapLive(this WebApplication app)
    {
        // The token is checked on connect; the connection closes when it expires, and every call checks again.
        app.MapHub<CollabHub>(HubPath, o => o.CloseOnAuthenticationExpiration = true).RequireAuthorization();
        return app;
    }
}
