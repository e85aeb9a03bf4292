using System.Buffers;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AscCollab.Bench;

/// <summary>
/// The memory floor: the `connections` load (3,000 idle real @microsoft/signalr clients that only
/// connect) against two reference servers with the server's runtime settings, pinned like it —
/// a bare ASP.NET Core WebSocket endpoint that answers the SignalR handshake and nothing more,
/// SignalR with an empty hub and no authentication, and the same empty hub behind ASP.NET Core's
/// JWT bearer authentication and authorization as the server configures them (token in the query
/// string, a policy on the hub). What they cost per idle connection is what the framework costs
/// before any of our code; the server's own figure sits on top.
/// </summary>
internal static class MemoryFloor
{
    public const string ServerCommand = "memory-floor-server";

    public static readonly string[] Kinds = ["websocket", "signalr", "signalr-auth"];

    /// <summary>The signing key of the authenticated reference server, base64 (generated per run by the bench).</summary>
    private const string KeyVariable = "BENCH_REFERENCE_JWT_KEY";

    /// <summary>
    /// The server's runtime settings (src/AscCollab.Server/AscCollab.Server.csproj) for the reference
    /// servers: Workstation GC (this project's too), optimised JIT from the first call, thread-pool
    /// workers that do not spin.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ServerRuntimeSettings = new Dictionary<string, string>
    {
        ["DOTNET_TC_QuickJit"] = "0",
        ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
    };

    /// <summary>Starts one reference server, runs the connections load on it and returns the load's figures.</summary>
    public static async Task<JsonObject> RunAsync(string kind, BenchOptions options, string logFolder, CancellationToken cancellationToken)
    {
        var self = typeof(MemoryFloor).Assembly.Location;
        var port = Azurite.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var taskset = options.Pin ? "taskset -c 0 " : "";
        var command = $"ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec {taskset}dotnet '{self}' {ServerCommand} {kind} {port}";
        // The server's runtime settings (src/AscCollab.Server/AscCollab.Server.csproj): Workstation GC
        // (this project's too), optimised JIT from the first call, thread-pool workers that do not spin.
        var environment = new Dictionary<string, string>(ServerRuntimeSettings);
        var token = "reference";
        if (kind == "signalr-auth")
        {
            var key = RandomNumberGenerator.GetBytes(32);
            environment[KeyVariable] = Convert.ToBase64String(key);
            token = ReferenceToken(key);
        }
        using var server = ChildProcess.Start(command, RepoPaths.Root, environment, Path.Combine(logFolder, $"memory-floor-{kind}.log"));
        await Tools.WaitHealthyAsync(baseUrl, server, TimeSpan.FromSeconds(60), cancellationToken);
        Console.Error.WriteLine($"bench: memory floor ({kind}): reference server PID {server.Id} at {baseUrl}");

        var load = new JsonObject
        {
            ["workload"] = "connections",
            ["label"] = $"memory-floor-{kind}",
            ["url"] = baseUrl,
            ["proposalId"] = "none",
            // Only signalr-auth checks the token; the clients send one to every kind all the same.
            ["tokens"] = new JsonArray(new JsonObject { ["member"] = "MY", ["token"] = token }),
            ["serverPid"] = server.Id,
            ["clockTicks"] = Tools.ClockTicks,
            ["seed"] = 1,
            ["clients"] = options.Connections,
            ["connectConcurrency"] = 200,
            ["joinProposal"] = false,
            ["connectTimeoutSeconds"] = 300,
            ["openTimeoutSeconds"] = 60,
            ["drainSeconds"] = 30,
            ["settleSeconds"] = 30,
            ["hardLimitSeconds"] = 600,
        };
        await BenchRun.QuietStartAsync("connections", cancellationToken);
        var result = await LoadGenerator.RunAsync(load, options.Pin, logFolder, cancellationToken);
        result["server"] = kind;
        return result;
    }

    /// <summary>The reference server itself, in this process: `memory-floor-server KIND PORT`.</summary>
    public static async Task<int> RunServerAsync(string[] args)
    {
        if (args.Length != 2 || !Kinds.Contains(args[0]) || !int.TryParse(args[1], out var port))
        {
            await Console.Error.WriteLineAsync($"usage: {ServerCommand} <{string.Join('|', Kinds)}> PORT");
            return 64;
        }
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // As the server: the heap a join wave left is compacted once the server is quiet (Memory section defaults).
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<AscCollab.Server.MemoryOptions>();
        builder.Services.AddHostedService<AscCollab.Server.IdleHeapCompactor>();
        if (args[0] is "signalr" or "signalr-auth")
        {
            builder.Services.AddSignalR();
        }
        if (args[0] == "signalr-auth")
        {
            AddReferenceAuthentication(builder.Services);
        }
        await using var app = builder.Build();
        app.MapGet("/health", () => "ok");
        if (args[0] == "signalr")
        {
            app.MapHub<EmptyHub>("/hubs/collab");
        }
        else if (args[0] == "signalr-auth")
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapHub<EmptyHub>("/hubs/collab").RequireAuthorization();
        }
        else
        {
            app.UseWebSockets();
            app.Map("/hubs/collab", HoldWebSocketAsync);
        }
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// Accepts the WebSocket, answers the SignalR JSON handshake and then only reads (the clients'
    /// pings), waiting with a zero-byte read and renting a buffer per message, as SignalR's
    /// WebSocket transport does — so an idle connection holds no buffer.
    /// </summary>
    private static async Task HoldWebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var handshakeDone = false;
        var aborted = context.RequestAborted;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                await socket.ReceiveAsync(Memory<byte>.Empty, aborted);
                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        received = await socket.ReceiveAsync(buffer.AsMemory(), aborted);
                    }
                    while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
                        return;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                if (!handshakeDone)
                {
                    // {"protocol":"json","version":1}␞ → {}␞
                    handshakeDone = true;
                    await socket.SendAsync("{}\u001e"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, aborted);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
    }

    /// <summary>
    /// JWT bearer authentication and authorization as the server sets them up (AuthSetup): the
    /// token from the query string, claim names kept, the token not saved, the principal rebuilt
    /// with the claims read again; a symmetric key instead of the provider's.
    /// </summary>
    private static void AddReferenceAuthentication(IServiceCollection services)
    {
        var key = new SymmetricSecurityKey(Convert.FromBase64String(Environment.GetEnvironmentVariable(KeyVariable)
            ?? throw new InvalidOperationException($"{KeyVariable} is not set.")));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.SaveToken = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = ReferenceIssuer,
                ValidAudience = ReferenceIssuer,
                IssuerSigningKey = key,
                NameClaimType = "member",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    // Browsers cannot set headers on WebSockets; Node clients send the Authorization header.
                    var token = context.Request.Query["access_token"];
                    if (!string.IsNullOrEmpty(token))
                    {
                        context.Token = token;
                    }
                    return Task.CompletedTask;
                },
                // As the server's CallerClaims.Retained: a hub connection holds its principal for its
                // whole life, so only the claims read again are kept — in a new identity, which does
                // not hold on to the parsed token as the handler's identity does.
                OnTokenValidated = context =>
                {
                    if (context.Principal is { } principal)
                    {
                        var identity = new ClaimsIdentity(principal.Identity?.AuthenticationType, "member", "role");
                        identity.AddClaims(principal.Claims.Where(c => c.Type is "member" or "role" or "exp").Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer)));
                        context.Principal = new ClaimsPrincipal(identity);
                    }
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorization();
    }

    private const string ReferenceIssuer = "asccollab-bench-reference";

    /// <summary>A token for the authenticated reference server: a member and a role, an hour to live.</summary>
    private static string ReferenceToken(byte[] key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = ReferenceIssuer,
        Audience = ReferenceIssuer,
        Claims = new Dictionary<string, object> { ["member"] = "MY", ["role"] = "delegate" },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });

    private sealed class EmptyHub : Hub;
}
