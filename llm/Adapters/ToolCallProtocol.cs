using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Adapters;

/// <summary>
/// Function calling for any local model, with or without a tool-calling chat template: the tools are described in a
/// system message and the answer is constrained to one JSON object, <c>{"tool": NAME, "arguments": {...}}</c> to call a
/// tool (its arguments held to the tool's parameter schema) or <c>{"answer": TEXT}</c> to reply. So a call always parses,
/// names a tool that exists and carries arguments of the right shape, whatever the model.
/// </summary>
internal static class ToolCallProtocol
{
    /// <summary>The tools the model may call under <paramref name="options"/>: none when ChatToolMode.None says so.</summary>
    public static IReadOnlyList<AIFunctionDeclaration> Offered(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode) return [];
        var offered = tools.OfType<AIFunctionDeclaration>().ToList();
        if (options.ToolMode is RequiredChatToolMode { RequiredFunctionName: { } name })
        {
            offered = offered.Where(t => t.Name == name).ToList();
            if (offered.Count == 0) throw new ArgumentException($"the required tool '{name}' is not among the tools offered", nameof(options));
        }
        return offered;
    }

    /// <summary>True when the model must call a tool rather than answer.</summary>
    public static bool CallRequired(ChatOptions? options) => options?.ToolMode is RequiredChatToolMode;

    /// <summary>
    /// The system message that tells the model what it can call and how to answer: each tool with its parameters in one
    /// line (the grammar holds the arguments to the full schema, so the prompt spends no tokens on it).
    /// </summary>
    public static string Instructions(IReadOnlyList<AIFunctionDeclaration> tools, bool required)
    {
        var text = new StringBuilder("You can call these tools:\n");
        foreach (var tool in tools)
        {
            text.Append("- ").Append(tool.Name).Append('(').Append(string.Join(", ", Parameters(tool.JsonSchema))).Append(')');
            if (!string.IsNullOrWhiteSpace(tool.Description)) text.Append(": ").Append(tool.Description.Trim());
            text.Append('\n');
        }
        text.Append(required
            ? "Reply with one JSON object that calls a tool: {\"tool\": \"<name>\", \"arguments\": {...}}."
            : "Reply with one JSON object: {\"tool\": \"<name>\", \"arguments\": {...}} to call a tool, or {\"answer\": \"<text>\"} to answer the user. "
              + "After a tool's result, answer with what it found.");
        return text.ToString();
    }

    /// <summary>"name: type" for each parameter of a schema, with "?" after the optional ones.</summary>
    private static IEnumerable<string> Parameters(JsonElement schema)
    {
        if (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object) yield break;
        var required = schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet()
            : [];
        foreach (var property in properties.EnumerateObject())
        {
            var type = property.Value.TryGetProperty("type", out var t) ? t.ValueKind == JsonValueKind.Array ? string.Join("|", t.EnumerateArray()) : t.GetString() : "any";
            yield return $"{property.Name}{(required.Contains(property.Name) ? "" : "?")}: {type}";
        }
    }

    /// <summary>The JSON schema the reply is held to: a call of one of the tools, or (unless a call is required) an answer.</summary>
    public static JsonElement Schema(IReadOnlyList<AIFunctionDeclaration> tools, bool required)
    {
        var choices = new JsonArray();
        foreach (var tool in tools)
            choices.Add(new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject
                {
                    ["tool"] = new JsonObject { ["const"] = tool.Name },
                    ["arguments"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
                },
                ["required"] = new JsonArray("tool", "arguments"),
            });
        if (!required)
            choices.Add(new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["answer"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } },
                ["required"] = new JsonArray("answer"),
            });
        return JsonSerializer.SerializeToElement(new JsonObject { ["anyOf"] = choices });
    }

    /// <summary>
    /// A message as prompt text: its text, the calls it made in the protocol's own form (so the model sees what it did),
    /// and tool results labelled with their call.
    /// </summary>
    public static string Text(ChatMessage message)
    {
        var parts = new List<string>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent { Text: { Length: > 0 } text }:
                    parts.Add(text);
                    break;
                case FunctionCallContent call:
                    parts.Add(new JsonObject
                    {
                        ["tool"] = call.Name,
                        ["arguments"] = JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>()),
                    }.ToJsonString());
                    break;
                case FunctionResultContent result:
                    parts.Add($"Result of tool call {result.CallId}: {Result(result)}");
                    break;
            }
        }
        return string.Join("\n", parts);
    }

    /// <summary>
    /// The model's reply as a message: a function call, an answer, or (a reply cut short by the token limit) the raw text.
    /// </summary>
    public static ChatMessage Parse(string reply)
    {
        try
        {
            using var document = JsonDocument.Parse(reply);
            var root = document.RootElement;
            if (root.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String)
            {
                var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (root.TryGetProperty("arguments", out var given) && given.ValueKind == JsonValueKind.Object)
                    foreach (var property in given.EnumerateObject()) arguments[property.Name] = property.Value.Clone();
                var id = "call_" + Guid.NewGuid().ToString("N")[..12];
                return new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(id, tool.GetString()!, arguments)]);
            }
            if (root.TryGetProperty("answer", out var answer) && answer.ValueKind == JsonValueKind.String)
                return new ChatMessage(ChatRole.Assistant, answer.GetString());
        }
        catch (JsonException)
        {
            // Only a reply the token limit cut off is not JSON; it is passed on as it is.
        }
        return new ChatMessage(ChatRole.Assistant, reply);
    }

    private static string Result(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception is { } error ? "error: " + error.Message : "null",
        string text => text,
        JsonElement json => json.GetRawText(),
        var other => Convert.ToString(JsonSerializer.Serialize(other), CultureInfo.InvariantCulture) ?? "",
    };
}
