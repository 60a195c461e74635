using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mender.Server.Web;

/// <summary>The web page: plain HTML, CSS and JS embedded in the assembly (no files beside the binary, no CDN, no build step).</summary>
internal static class StaticPage
{
    private static readonly (string Route, string Resource, string ContentType)[] Assets =
    [
        ("/", "web/index.html", "text/html; charset=utf-8"),
        ("/app.css", "web/app.css", "text/css; charset=utf-8"),
        ("/app.js", "web/app.js", "text/javascript; charset=utf-8"),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, contentType) in Assets)
        {
            var bytes = Load(resource);
            app.MapGet(route, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            });
        }
    }

    private static byte[] Load(string resource)
    {
        using var stream = typeof(StaticPage).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the web page resource '{resource}' is missing from the server assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
