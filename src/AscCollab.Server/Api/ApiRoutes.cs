namespace AscCollab.Server;

internal static class ApiRoutes
{
    /// <summary>
    /// A feature's route group: callers must hold a token naming a member (or the secretariat)
    /// and a role, every delegation has its own rate budget, and request bodies are validated.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix)
            .RequireAuthorization(AuthSetup.DelegationPolicy)
            .RequireRateLimiting(ApiSetup.RateLimitPolicy)
            .WithRequestValidation()
            .WithTags(tag);

    /// <summary>Routes that change something: delegates and the Chair only; the secretariat reads and reports.</summary>
    public static TBuilder RequireActing<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AuthSetup.ActingPolicy);

    /// <summary>A member code in a route: two upper-case ASCII letters.</summary>
    public static bool IsMemberCode(string? value) => value is { Length: 2 } && value.All(char.IsAsciiLetterUpper);
}
