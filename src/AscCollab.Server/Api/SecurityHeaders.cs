using System.Security.Cryptography;
using System.Text;

namespace AscCollab.Server;

/// <summary>
/// Headers on every response: no MIME sniffing, never framed (clickjacking), no referrer sent
/// elsewhere, and a Content-Security-Policy — the web client's by default (its own scripts and
/// stylesheets only: no inline script, style attribute or handler anywhere), or a page's own
/// (<see cref="WithContentSecurityPolicy"/>) for the server's self-contained HTML pages.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The web client (wwwroot) and every other answer: same-origin scripts, styles, calls (the hub's WebSocket included).</summary>
    public static ContentSecurityPolicy Default { get; } = new(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = (http.GetEndpoint()?.Metadata.GetMetadata<ContentSecurityPolicy>() ?? Default).Value;
            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    /// <summary>An endpoint answering with its own policy instead of <see cref="Default"/>.</summary>
    public static TBuilder WithContentSecurityPolicy<TBuilder>(this TBuilder builder, ContentSecurityPolicy policy) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(policy);
}

/// <summary>A Content-Security-Policy header value, as endpoint metadata.</summary>
internal sealed record ContentSecurityPolicy(string Value)
{
    /// <summary>
    /// A self-contained page whose one stylesheet is inline: that stylesheet (by its SHA-256, the
    /// exact text between <c>&lt;style&gt;</c> and <c>&lt;/style&gt;</c>) and nothing else — no script, no
    /// other style, no external resource.
    /// </summary>
    public static ContentSecurityPolicy ForInlineStyle(string styleSheet) =>
        new($"default-src 'none'; style-src '{StyleHash(styleSheet)}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");

    /// <summary>The CSP source of an inline stylesheet: <c>sha256-</c> and the base64 SHA-256 of its UTF-8 text.</summary>
    public static string StyleHash(string styleSheet) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(styleSheet)));
}
