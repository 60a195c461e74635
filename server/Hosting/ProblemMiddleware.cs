using System.Text.Json;
using Mender.Data.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Mender.Server.Hosting;

/// <summary>
/// Turns refusals into RFC 7807 application/problem+json: <see cref="ApiProblem"/> as given, the service's
/// ArgumentException (ParamName = the request field) as 400 and KeyNotFoundException (unknown user or item) as 404.
/// Anything else is a 500 whose detail does not leak internals.
/// </summary>
internal sealed class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public const string ContentType = "application/problem+json";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            // Routing (unknown path or method) and parameter binding (?limit=abc) answer with a bare status; the API
            // promises problem+json for every error.
            if (context.Response is { HasStarted: false, StatusCode: >= 400 } response && response.ContentLength is null && response.ContentType is null)
                await WriteAsync(context, Bare(context));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var problem = Map(e);
            if (problem.Status >= 500) logger.LogError(e, "request {Path} failed", context.Request.Path);
            await WriteAsync(context, problem);
        }
    }

    private static ApiProblem Bare(HttpContext context)
    {
        var path = Excerpt.Of(context.Request.Path.Value ?? "/");
        var status = context.Response.StatusCode;
        if (status == 404) return new ApiProblem(404, "Not found", $"there is no endpoint at {path}");
        if (status == 405)
        {
            var allowed = context.Response.Headers.Allow.ToString();
            return new ApiProblem(405, "Method not allowed",
                $"{Excerpt.Of(context.Request.Method)} is not allowed on {path}" + (allowed.Length > 0 ? $"; use {allowed}" : ""))
            {
                Allow = allowed.Length > 0 ? allowed : null,
            };
        }
        var title = ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Request refused";
        return new ApiProblem(status, title, status == 400 ? $"the request to {path} has an invalid parameter (query or route value)" : $"{title} ({path})");
    }

    internal static ApiProblem Map(Exception e) => e switch
    {
        ApiProblem problem => problem,
        ArgumentException argument => ApiProblem.BadRequest(Clean(argument),
            argument.ParamName is { Length: > 0 } name ? ServerJson.FieldName(name) : null),
        KeyNotFoundException missing => new ApiProblem(404, "Not found", missing.Message),
        FormatException format => ApiProblem.BadRequest(format.Message),
        BadHttpRequestException bad => new ApiProblem(bad.StatusCode, "Bad request", bad.Message),
        _ => new ApiProblem(500, "Internal error", "the server failed to answer this request; its log has the details"),
    };

    public static async Task WriteAsync(HttpContext context, ApiProblem problem)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = problem.Status;
        response.ContentType = ContentType;
        if (problem.RetryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString();
        if (problem.Allow is { } allow) response.Headers.Allow = allow;
        if (problem.Status == 401) response.Headers.WWWAuthenticate = "Bearer";
        var body = new Dictionary<string, object?>
        {
            ["type"] = "about:blank",
            ["title"] = problem.Title,
            ["status"] = problem.Status,
            ["detail"] = Excerpt.Line(problem.Message, Excerpt.MaxMessageLength),
            ["instance"] = context.Request.Path.Value,
        };
        if (problem.Field is not null) body["field"] = problem.Field;
        await JsonSerializer.SerializeAsync(response.Body, body, ServerJson.Options, context.RequestAborted);
    }

    // ArgumentException appends " (Parameter 'x')"; the field is reported on its own.
    private static string Clean(ArgumentException e)
    {
        var message = e.Message;
        var cut = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
