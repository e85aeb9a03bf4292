using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using AscCollab.Grains;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace AscCollab.Server;

/// <summary>
/// SignalR's JSON hub protocol, with one change: a call whose arguments cannot be bound (unknown
/// method, wrong number of arguments, a value of the wrong type, an enum given as a number) is
/// refused like every other refusal, <c>invalid_input: …</c>, instead of SignalR's codeless
/// "Failed to invoke 'X' due to an error on the server". Binding happens in the protocol, before
/// any hub filter runs, so this is the one place that can say which argument was wrong.
/// SignalR passes the message of a <see cref="HubException"/> to the client even without
/// detailed errors; everything else about the protocol is the framework's.
/// </summary>
internal sealed class CodedHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    private readonly JsonHubProtocol _inner = new(options);
    private readonly JsonSerializerOptions _payload = options.Value.PayloadSerializerOptions;

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        if (!_inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }
        if (message is InvocationBindingFailureMessage failure)
        {
            var refusal = HubArguments.Describe(failure.Target, before.Slice(before.Start, input.Start), _payload);
            // The target is echoed by SignalR's own message and log line: shortened like every echo.
            message = new InvocationBindingFailureMessage(failure.InvocationId, Echo.Of(failure.Target),
                ExceptionDispatchInfo.Capture(new HubException($"{DomainErrorCodes.InvalidInput}: {refusal}")));
        }
        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);
}

/// <summary>What the hub's methods take, and which part of a call did not fit.</summary>
internal static class HubArguments
{
    private static readonly string[] Lifecycle = [nameof(Hub.OnConnectedAsync), nameof(Hub.OnDisconnectedAsync), nameof(Hub.Dispose)];

    /// <summary>The client-callable methods of <see cref="CollabHub"/> by name (it has no overloads).</summary>
    public static IReadOnlyDictionary<string, ParameterInfo[]> Methods { get; } = typeof(CollabHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => !m.IsSpecialName && !Lifecycle.Contains(m.Name))
        .ToDictionary(m => m.Name, m => m.GetParameters(), StringComparer.Ordinal);

    /// <summary>Why the invocation in <paramref name="raw"/> (one JSON hub message) did not bind, naming the argument.</summary>
    public static string Describe(string target, ReadOnlySequence<byte> raw, JsonSerializerOptions payload)
    {
        if (!Methods.TryGetValue(target, out var parameters))
        {
            return $"There is no hub method '{Echo.Of(target)}'; the methods are {string.Join(", ", Methods.Keys.Order(StringComparer.Ordinal))}.";
        }
        var signature = $"{target}({string.Join(", ", parameters.Select(p => p.Name))})";
        if (Arguments(raw) is not { } arguments)
        {
            return $"The arguments do not fit {signature}.";
        }
        if (arguments.Count != parameters.Length)
        {
            return $"{signature} takes {parameters.Length} argument(s); {arguments.Count} were sent.";
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            try
            {
                JsonSerializer.Deserialize(arguments[i], parameters[i].ParameterType, payload);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException or OverflowException)
            {
                return $"Argument {i + 1} of {signature}, {parameters[i].Name}, must be {Expects(parameters[i].ParameterType)}.";
            }
        }
        return $"The arguments do not fit {signature}.";
    }

    private static string Expects(Type type) =>
        type == typeof(JsonElement) ? "a JSON value"
        : type == typeof(CursorRange) ? "null or an object { anchor, head } of whole numbers"
        : RequestFields.Expects(type);

    private static List<JsonElement>? Arguments(ReadOnlySequence<byte> raw)
    {
        // A JSON hub message ends with the record separator (0x1E).
        var json = raw.Length > 0 && raw.Slice(raw.Length - 1).FirstSpan[0] == 0x1E ? raw.Slice(0, raw.Length - 1) : raw;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return document.RootElement.TryGetProperty("arguments", out var arguments)
                ? arguments.ValueKind == JsonValueKind.Array ? [.. arguments.EnumerateArray().Select(a => a.Clone())] : null
                : [];
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
