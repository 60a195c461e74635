using System.Text.Json;
using Xunit;

namespace Mender.Llm.Tests.Constraints;

/// <summary>An independent checker of the schema subset, used to judge constrained output (it shares no code with the constraint).</summary>
internal static class JsonSchemaCheck
{
    public static void AssertConforms(string json, string schema)
    {
        using var document = JsonDocument.Parse(json);
        using var schemaDocument = JsonDocument.Parse(schema);
        var errors = new List<string>();
        Check(document.RootElement, schemaDocument.RootElement, "$", errors);
        Assert.True(errors.Count == 0, $"{json}\ndoes not conform: {string.Join("; ", errors)}");
    }

    private static void Check(JsonElement value, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("enum", out var options))
        {
            if (!options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
                errors.Add($"{path}: {value.GetRawText()} is not one of {options.GetRawText()}");
            return;
        }
        if (!schema.TryGetProperty("type", out var type)) return;
        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
        var kind = value.ValueKind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) && !value.GetRawText().Contains('.') && !value.GetRawText().Contains('e') && !value.GetRawText().Contains('E') ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        };
        if (!types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            errors.Add($"{path}: {kind} where {string.Join("|", types)} is expected");
            return;
        }
        switch (kind)
        {
            case "object":
                var properties = schema.TryGetProperty("properties", out var p) ? p : default;
                if (schema.TryGetProperty("required", out var required))
                    foreach (var name in required.EnumerateArray())
                        if (!value.TryGetProperty(name.GetString()!, out _))
                            errors.Add($"{path}: required property '{name.GetString()}' is missing");
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.ValueKind != JsonValueKind.Object) continue;
                    if (!properties.TryGetProperty(property.Name, out var sub))
                        errors.Add($"{path}: unexpected property '{property.Name}'");
                    else
                        Check(property.Value, sub, path + "." + property.Name, errors);
                }
                break;
            case "array":
                var count = value.GetArrayLength();
                if (schema.TryGetProperty("minItems", out var min) && count < min.GetInt32()) errors.Add($"{path}: {count} items < minItems");
                if (schema.TryGetProperty("maxItems", out var max) && count > max.GetInt32()) errors.Add($"{path}: {count} items > maxItems");
                if (schema.TryGetProperty("items", out var items))
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray()) Check(item, items, $"{path}[{i++}]", errors);
                }
                break;
            case "string":
                var length = value.GetString()!.EnumerateRunes().Count(); // JSON Schema counts code points, not UTF-16 units
                if (schema.TryGetProperty("maxLength", out var maxLength) && length > maxLength.GetInt32()) errors.Add($"{path}: longer than maxLength");
                if (schema.TryGetProperty("minLength", out var minLength) && length < minLength.GetInt32()) errors.Add($"{path}: shorter than minLength");
                break;
        }
    }
}
