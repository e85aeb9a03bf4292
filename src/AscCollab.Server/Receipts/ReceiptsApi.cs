using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AscCollab.Grains;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace AscCollab.Server;

/// <summary>A receipt to check: the compact JWS as the server gave it.</summary>
internal sealed record VerifyReceiptRequest([property: Required] string? Receipt);

/// <summary>A stored receipt, signed again now: the JWS and the claims it carries.</summary>
internal sealed record ReceiptCopy(string Receipt, ReceiptClaims Claims);

/// <summary>
/// Signed receipts of sign-offs, their withdrawals and adoptions (docs/api.md, Receipts): the public
/// keys (JWKS), checking a receipt against its signature and against storage, a proposal's stored
/// receipts. The acts themselves answer with their receipt where they are (ProposalsApi, CollabHub).
/// </summary>
internal static class ReceiptsApi
{
    public static WebApplicationBuilder AddReceipts(this WebApplicationBuilder builder)
    {
        var (configuration, environment) = (builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(_ => ReceiptKeyLoader.Load(configuration, environment));
        // Loaded as the host starts, not on first use: a deployment without a key does not start (StartupChecks tells why).
        builder.Services.AddHostedService<ReceiptKeyCheck>();
        builder.Services.AddSingleton<StoredProposals>();
        builder.Services.AddSingleton<ReceiptIssuer>();
        builder.Services.AddSingleton<ReceiptVerifier>();
        return builder;
    }

    public static WebApplication MapReceipts(this WebApplication app)
    {
        var receipts = app.MapApiGroup("/api/receipts", "Receipts");
        receipts.MapGet("/jwks", Jwks).AllowAnonymous()
            .WithSummary("The public keys receipts are signed with (JWKS, ES256), the current one first; anonymous, for checking receipts offline.");
        receipts.MapPost("/verify", Verify)
            .WithSummary("Checks a receipt: its signature under a published key, then whether storage still holds what it acknowledges.");
        app.MapApiGroup("/api/proposals/{id}/receipts", "Receipts").MapGet("/", List)
            .WithSummary("The proposal's receipts, signed again now: the caller's own member's and adoptions; all for the Chair and the secretariat.");
        return app;
    }

    private static Ok<ReceiptJwks> Jwks(ReceiptKeyRing keys, HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(keys.Jwks);
    }

    private static async Task<Results<Ok<ReceiptVerification>, ProblemHttpResult>> Verify(VerifyReceiptRequest request, ReceiptVerifier verifier, CancellationToken cancellationToken)
    {
        if (!ReceiptJws.TryVerify(request.Receipt!, verifier.Keys, out var claims, out var refusal, out var detail))
        {
            return refusal switch
            {
                ReceiptRefusal.UnknownKey => Problems.Of(StatusCodes.Status400BadRequest, ErrorCodes.ReceiptKeyUnknown, "The receipt names an unknown key.", detail),
                ReceiptRefusal.BadSignature => Problems.Of(StatusCodes.Status400BadRequest, ErrorCodes.ReceiptSignatureInvalid, "The receipt's signature does not hold.", detail),
                _ => Problems.Of(StatusCodes.Status400BadRequest, ErrorCodes.InvalidReceipt, "Not a receipt.", detail),
            };
        }
        return TypedResults.Ok(await verifier.CompareWithStorageAsync(claims, claims.Kid, cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<ReceiptCopy>>, ProblemHttpResult>> List(string id, ClaimsPrincipal user, IGrainFactory grains, ReceiptIssuer issuer)
    {
        if (!ProposalIds.IsValid(id))
        {
            return Problems.NotFound($"There is no proposal '{id}'.");
        }
        var facts = await grains.GetGrain<IProposalGrain>(id).GetReceipts(user.ToCaller());
        return TypedResults.Ok<IReadOnlyList<ReceiptCopy>>([.. facts.Select(f => issuer.Copy(f))]);
    }

}

/// <summary>Loads the receipt keys as the host starts (after options validation), so a node without a key stops before it serves.</summary>
internal sealed partial class ReceiptKeyCheck(IServiceProvider services, ILogger<ReceiptKeyCheck> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var keys = services.GetRequiredService<ReceiptKeyRing>();
        LogKeys(logger, keys.Current.Kid, keys.Keys.Count, keys.Source);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Receipts are signed with key {Kid} ({Count} key(s) published) from {Source}")]
    private static partial void LogKeys(ILogger logger, string kid, int count, string source);
}
