using System.Text.Json;
using Mender.Data.Text;
using Microsoft.AspNetCore.Http;

namespace Mender.Server.Hosting;

/// <summary>Reads a request's JSON body within the size limit, turning every way it can be wrong into an <see cref="ApiProblem"/>.</summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, long limit, JsonSerializerOptions options) where T : class
    {
        var request = context.Request;
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
            throw new ApiProblem(415, "Unsupported media type", $"the body must be application/json, not '{type}'");
        if (request.ContentLength > limit) throw TooLarge(limit);

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit) throw TooLarge(limit);
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        if (buffer.Length == 0) throw ApiProblem.BadRequest("the request body is empty; send a JSON object");

        // System.Text.Json reads invalid UTF-8 inside a string only when it converts it, and throws InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            throw new ApiProblem(400, "Malformed JSON", "the request body is not valid UTF-8 text");
        buffer.Position = 0;
        try
        {
            return JsonSerializer.Deserialize<T>(buffer, options) ?? throw ApiProblem.BadRequest("the request body is null; send a JSON object");
        }
        catch (JsonException e)
        {
            var at = e.Path is { Length: > 0 } path && path != "$" ? path[2..] : null;
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            throw new ApiProblem(400, "Malformed JSON", $"the request body is not valid for this endpoint{where}: {Describe(e, buffer)}", at);
        }
    }

    private static ApiProblem TooLarge(long limit) =>
        new(413, "Request too large", $"the request body is larger than the limit of {limit:N0} bytes");

    // System.Text.Json names .NET types in its messages; the client knows only the JSON, so say it in the JSON's terms.
    private static string Describe(JsonException e, MemoryStream body)
    {
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'');
            var end = start >= 0 ? message.IndexOf('\'', start + 1) : -1;
            if (end > start) return $"unknown field '{Excerpt.Of(message.AsSpan((start + 1)..end))}'";
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal))
            return WrongValue(e.Path, body);
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>What is wrong with the value at <paramref name="path"/> that could not be read.</summary>
    private static string WrongValue(string? path, MemoryStream body)
    {
        var field = path is null or "$" ? null : path[2..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            // The value has the wrong type and the JSON breaks later on; the type is the first thing to fix.
            return field is null ? "the body must be a JSON object" : $"field '{field}' has the wrong type";
        }
        using var _ = document;
        if (field is null) return $"the body must be a JSON object, not {Kind(document.RootElement)}";
        if (JsonPathValue.Find(document.RootElement, path!) is not { } value) return $"field '{field}' has the wrong type";
        return value.ValueKind == JsonValueKind.Number
            ? $"field '{field}' is out of range or not a whole number: {Excerpt.Of(value.GetRawText())}"
            : $"field '{field}' has the wrong type: {Kind(value)} (numbers are written as numbers, not strings)";
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };
}
