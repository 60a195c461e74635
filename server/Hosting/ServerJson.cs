using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Server.Hosting;

/// <summary>The wire format: snake_case names (as OpenAI-style APIs use), nulls left out.</summary>
internal static class ServerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A misspelt field (say "userid") should be an error naming it, not a silently ignored value.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = false,
        // The web defaults read "5" as 5; one rule for every number field: numbers are JSON numbers ("k": "5" is refused like "k": "five").
        NumberHandling = JsonNumberHandling.Strict,
        // Titles and reasons are user text; the body is application/json (never inlined into HTML), so keep them readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For OpenAI-compatible requests, which carry many fields this server has no use for (temperature, top_p, ...).</summary>
    public static readonly JsonSerializerOptions Lenient = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    /// <summary>A .NET member or parameter name as the request spells it (ParamName "ExcludeHistory" → "exclude_history").</summary>
    public static string FieldName(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
