using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace AscCollab.Server.Tests;

/// <summary>Reading and checking receipts the way an outside party does: from the published JWKS, with .NET's own ECDSA.</summary>
internal static class ReceiptTools
{
    public static JsonNode Claims(string jws) => JsonNode.Parse(Base64Url(jws.Split('.')[1]))!;

    public static JsonNode Header(string jws) => JsonNode.Parse(Base64Url(jws.Split('.')[0]))!;

    /// <summary>ES256 under the JWKS key the header names; false when the key is not there or the signature does not hold.</summary>
    public static bool SignatureHolds(string jws, JsonNode jwks)
    {
        var parts = jws.Split('.');
        var kid = Header(jws).Str("kid");
        var jwk = jwks["keys"]!.AsArray().FirstOrDefault(k => k!.Str("kid") == kid);
        if (jwk is null)
        {
            return false;
        }
        Assert.Equal(("EC", "P-256", "ES256"), (jwk.Str("kty"), jwk.Str("crv"), jwk.Str("alg")));
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url(jwk.Str("x")), Y = Base64Url(jwk.Str("y")) },
        });
        return key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256);
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static byte[] Base64Url(string part)
    {
        var base64 = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    public static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A client of any host of the app (e.g. one made by WithWebHostBuilder) with a Development token.</summary>
    public static async Task<HttpClient> ClientFor(WebApplicationFactory<Program> app, string member, string role = "delegate")
    {
        var client = app.CreateClient();
        var token = (await client.PostJson("/api/dev/token", new { member, role })).Str("token");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>
/// A proposal's partition as storage holds it at one moment, put back later: storage that goes back
/// to an older save (Azurite restarted from its last snapshot) under a server that acknowledged more.
/// </summary>
internal sealed class PartitionSave
{
    private readonly TableClient _table;
    private readonly string _partition;
    private readonly List<TableEntity> _rows;

    private PartitionSave(TableClient table, string partition, List<TableEntity> rows) => (_table, _partition, _rows) = (table, partition, rows);

    public static async Task<PartitionSave> TakeAsync(string connectionString, string tablePrefix, string proposalId)
    {
        var table = new TableClient(connectionString, tablePrefix + "grains");
        var partition = "proposal|" + proposalId;
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows.Add(row);
        }
        Assert.NotEmpty(rows);
        return new PartitionSave(table, partition, rows);
    }

    public async Task RestoreAsync()
    {
        var kept = _rows.Select(r => r.RowKey).ToHashSet();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == _partition))
        {
            if (!kept.Contains(row.RowKey))
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            }
        }
        foreach (var row in _rows)
        {
            await _table.UpsertEntityAsync(row, TableUpdateMode.Replace);
        }
    }
}

/// <summary>Log lines of a test host, as "Level: category: message".</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._lines.Enqueue($"{logLevel}: {category}: {formatter(state, exception)}");
            }
        }
    }
}
