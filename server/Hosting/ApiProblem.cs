namespace Mender.Server.Hosting;

/// <summary>
/// A request the server refuses, carried to <see cref="ProblemMiddleware"/> which writes it as RFC 7807
/// application/problem+json. <paramref name="field"/> names the request field at fault, in the request's own spelling.
/// </summary>
internal sealed class ApiProblem(int status, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Field { get; } = field;

    /// <summary>Seconds the client should wait before retrying (429, 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The methods a 405 answer allows (its Allow header).</summary>
    public string? Allow { get; init; }

    public static ApiProblem BadRequest(string detail, string? field = null) => new(400, "Invalid request", detail, field);
}
