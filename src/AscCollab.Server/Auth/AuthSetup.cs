using AscCollab.Grains;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AscCollab.Server;

/// <summary>The OpenID Connect provider outside Development ("Auth" section).</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The issuer's base URL; its discovery document gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the provider puts in AscCollab tokens.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// How far past its expiry (and before its start) a token is still accepted, for clocks that
    /// differ between the provider and the nodes. Every environment; the library's default (5 min)
    /// is far too generous for a token that acts for a delegation.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = DefaultClockSkew;

    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(1);
}

internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > AuthOptions.MaxClockSkew)
        {
            failures.Add($"{AuthOptions.SectionName}:ClockSkew must be between 0 and {AuthOptions.MaxClockSkew.TotalSeconds:0} seconds.");
        }

        if (environment.IsDevelopment())
        {
            // The local issuer (DevTokenIssuer) stands in for the provider.
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{AuthOptions.SectionName}:Authority must be the https URL of the OpenID Connect provider (outside Development there is no local token issuer).");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{AuthOptions.SectionName}:Audience must name the audience of AscCollab tokens.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal static class AuthSetup
{
    /// <summary>Policy for everything behind /api: a token naming a roster member (or the secretariat) and a role.</summary>
    public const string DelegationPolicy = "delegation";

    /// <summary>Policy for routes that change something: a delegate or the Chair, never the secretariat.</summary>
    public const string ActingPolicy = "acting";

    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var bearer = services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();

        if (builder.Environment.IsDevelopment())
        {
            // One key for every node, kept in storage and loaded before the silo and the web server start.
            services.AddSingleton<DevSigningKey>();
            services.AddHostedService<DevSigningKeyLoader>();
            services.AddSingleton<DevTokenIssuer>();
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<DevTokenIssuer>((o, issuer) => o.TokenValidationParameters = issuer.ValidationParameters());
        }
        else
        {
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<IOptions<AuthOptions>>((o, auth) =>
                {
                    o.Authority = auth.Value.Authority;
                    o.Audience = auth.Value.Audience;
                    o.TokenValidationParameters.NameClaimType = CallerClaims.Member;
                    o.TokenValidationParameters.RoleClaimType = CallerClaims.Role;
                });
        }

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure<IOptions<AuthOptions>>((o, auth) =>
        {
            // One skew for both issuers (the Development one and the provider's).
            o.TokenValidationParameters.ClockSkew = auth.Value.ClockSkew;
            // Keep the token's claim names ("member", "role") as they are.
            o.MapInboundClaims = false;
            // Nothing reads the raw token back (GetTokenAsync); saving it kept a copy of every
            // hub connection's token in its authentication properties for the connection's life.
            o.SaveToken = false;
            o.Events ??= new JwtBearerEvents();
            o.Events.OnMessageReceived = context =>
            {
                // Browsers cannot set headers on WebSockets: the hub's token comes in the query string.
                var token = context.Request.Query["access_token"];
                if (!string.IsNullOrEmpty(token) && IsHubRequest(context.HttpContext))
                {
                    context.Token = token;
                }
                return Task.CompletedTask;
            };
            o.Events.OnTokenValidated = context =>
            {
                // A hub connection holds its principal for its whole life: keep only what is read.
                if (IsHubRequest(context.HttpContext) && context.Principal is { } principal)
                {
                    context.Principal = CallerClaims.Retained(principal);
                }
                return Task.CompletedTask;
            };
        });

        services.AddSingleton<IAuthorizationHandler, DelegationHandler>();
        services.AddSingleton<IAuthorizationHandler, ActingHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(DelegationPolicy, p => p.RequireAuthenticatedUser().AddRequirements(new DelegationRequirement()))
            .AddPolicy(ActingPolicy, p => p.RequireAuthenticatedUser().AddRequirements(new DelegationRequirement(), new ActingRequirement()))
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new DelegationRequirement()).Build());
        return builder;
    }

    private static bool IsHubRequest(HttpContext context) => context.Request.Path.StartsWithSegments("/hubs");
}

/// <summary>A requirement that can say, in a 403's detail, what it asks for.</summary>
internal interface IDescribedRequirement : IAuthorizationRequirement
{
    string Description { get; }
}

/// <summary>The token names a member of the current roster (delegate, chair) or the secretariat.</summary>
internal sealed class DelegationRequirement : IDescribedRequirement
{
    public string Description => "The token must name a member on the roster (or the secretariat) and a role: delegate, chair or secretariat.";
}

/// <summary>The caller may change things: a delegate or the Chair. The secretariat reads and reports.</summary>
internal sealed class ActingRequirement : IDescribedRequirement
{
    public string Description => "The secretariat reads and reports; only delegates and the Chair may change proposals, groups and activities.";
}

internal sealed class ActingHandler : AuthorizationHandler<ActingRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ActingRequirement requirement)
    {
        if (context.User.TryGetCaller(out var caller) && caller.Role is CallerRole.Delegate or CallerRole.Chair)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

internal sealed class DelegationHandler(IRoster roster, IOptionsMonitor<AscCollabOptions> options) : AuthorizationHandler<DelegationRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DelegationRequirement requirement)
    {
        if (context.User.TryGetCaller(out var caller) && IsKnown(caller))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    private bool IsKnown(Caller caller) => caller.Role == CallerRole.Secretariat
        ? caller.Member == options.CurrentValue.SecretariatCode
        : roster.IsMember(caller.Member);
}
