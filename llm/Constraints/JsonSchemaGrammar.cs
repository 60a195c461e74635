using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mender.Llm.Constraints;

/// <summary>
/// Turns a JSON schema into a GBNF grammar (root rule <c>root</c>) that llama.cpp's grammar sampler enforces token by
/// token, so that constrained output is JSON of that schema. Supported: object (properties in the listed order, the
/// required ones always, the others optionally; no listed properties means any keys), array (items, minItems,
/// maxItems), string (minLength, maxLength), number, integer, boolean, null, enum, const, local <c>$ref</c>, and
/// alternatives (type lists, anyOf, oneOf). Keywords outside this (pattern, format, minimum, ...) are not enforced.
/// Whitespace between tokens is limited to one optional space, so every bounded schema has bounded output.
/// </summary>
public static class JsonSchemaGrammar
{
    private const int MaxDepth = 32;

    private static readonly JsonSerializerOptions LiteralOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The grammar for any JSON object, for a JSON response format without a schema.</summary>
    public static string AnyObject { get; } = FromSchema(JsonDocument.Parse("""{"type":"object"}""").RootElement);

    /// <summary>The grammar of <paramref name="schema"/>. Throws <see cref="NotSupportedException"/> for what it cannot express.</summary>
    public static string FromSchema(JsonElement schema)
    {
        var writer = new Writer(schema);
        var root = writer.Value(schema, 0);
        return writer.Build(root);
    }

    private sealed class Writer(JsonElement document)
    {
        private readonly List<string> rules = [];
        private readonly HashSet<string> common = [];

        public string Build(string root)
        {
            Common("space");
            var text = new StringBuilder();
            text.Append("root ::= ").Append(root).Append('\n');
            foreach (var rule in this.rules) text.Append(rule).Append('\n');
            return text.ToString();
        }

        /// <summary>A GBNF expression for a value of <paramref name="s"/> followed by optional space.</summary>
        public string Value(JsonElement s, int depth)
        {
            if (depth > MaxDepth) throw new NotSupportedException("the JSON schema nests deeper than 32 levels (a recursive $ref?)");
            if (s.ValueKind == JsonValueKind.True) return Common("value");
            if (s.ValueKind != JsonValueKind.Object)
                throw new NotSupportedException($"a JSON schema must be an object or true, not {s.ValueKind}");
            if (s.TryGetProperty("$ref", out var reference)) return Value(Resolve(reference.GetString() ?? ""), depth + 1);
            if (s.TryGetProperty("const", out var constant)) return Literal(constant);
            if (s.TryGetProperty("enum", out var values))
            {
                var literals = values.EnumerateArray().Select(Literal).Distinct().ToArray();
                if (literals.Length == 0) throw new NotSupportedException("an enum without values accepts nothing");
                return "(" + string.Join(" | ", literals) + ")";
            }
            foreach (var keyword in new[] { "anyOf", "oneOf" })
                if (s.TryGetProperty(keyword, out var alternatives))
                    return "(" + string.Join(" | ", alternatives.EnumerateArray().Select(a => Value(a, depth + 1))) + ")";
            if (s.TryGetProperty("allOf", out var all) && all.GetArrayLength() == 1) return Value(all[0], depth + 1);
            if (s.TryGetProperty("type", out var type))
            {
                if (type.ValueKind == JsonValueKind.Array)
                    return "(" + string.Join(" | ", type.EnumerateArray().Select(t => Typed(s, t.GetString() ?? "", depth))) + ")";
                return Typed(s, type.GetString() ?? "", depth);
            }
            if (s.TryGetProperty("properties", out _)) return Typed(s, "object", depth);
            if (s.TryGetProperty("items", out _)) return Typed(s, "array", depth);
            return Common("value");
        }

        private string Typed(JsonElement s, string type, int depth) => type switch
        {
            "object" => Object(s, depth),
            "array" => Array(s, depth),
            "string" => StringOf(Int(s, "minLength", 0), Int(s, "maxLength", -1)),
            "number" => Common("number"),
            "integer" => Common("integer"),
            "boolean" => Common("boolean"),
            "null" => Common("null"),
            _ => throw new NotSupportedException($"JSON schema type '{type}' is not supported"),
        };

        private string Object(JsonElement s, int depth)
        {
            if (!s.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
                || !properties.EnumerateObject().Any())
                return Common("object");
            var required = new HashSet<string>(StringComparer.Ordinal);
            if (s.TryGetProperty("required", out var names))
                foreach (var name in names.EnumerateArray())
                    required.Add(name.GetString() ?? "");
            var pairs = properties.EnumerateObject()
                .Select(p => (p.Name, Pair: Literal(JsonSerializer.SerializeToElement(p.Name)) + " \":\" space " + Value(p.Value, depth + 1)))
                .ToList();
            foreach (var name in required)
                if (pairs.All(p => p.Name != name))
                    throw new NotSupportedException($"required property '{name}' has no schema under properties");

            // Required pairs in order, each optional one may appear at its place; commas go between what appears.
            var body = new StringBuilder();
            var started = false;
            var optional = new List<string>();
            foreach (var (name, pair) in pairs)
            {
                if (!required.Contains(name))
                {
                    optional.Add(pair);
                    continue;
                }
                body.Append(started ? " \",\" space " : "").Append(pair).Append(' ');
                started = true;
            }
            var tail = optional.Count == 0 ? "" : OptionalPairs(optional, started);
            return "\"{\" space " + body + tail + " \"}\" space";
        }

        /// <summary>Optional pairs in order, any subset: after a required pair each starts with a comma; otherwise only the later ones do.</summary>
        private string OptionalPairs(List<string> pairs, bool afterRequired)
        {
            if (afterRequired) return string.Concat(pairs.Select(p => "(\",\" space " + p + ")? "));
            var chain = "";
            for (var i = pairs.Count - 1; i >= 0; i--)
            {
                var rest = string.Concat(pairs.Skip(i + 1).Select(p => "(\",\" space " + p + ")? "));
                var name = Rule($"({pairs[i]} {rest}) " + (chain.Length > 0 ? "| " + chain : ""));
                chain = name;
            }
            return "(" + chain + ")?";
        }

        private string Array(JsonElement s, int depth)
        {
            var item = Rule(s.TryGetProperty("items", out var items) ? Value(items, depth + 1) : Common("value"));
            var min = Int(s, "minItems", 0);
            var max = Int(s, "maxItems", -1);
            if (max == 0) return "\"[\" space \"]\" space";
            var more = Repeat("\",\" space " + item, Math.Max(0, min - 1), max < 0 ? -1 : max - 1);
            var list = item + " " + more;
            return "\"[\" space " + (min == 0 ? "(" + list + ")?" : list) + " \"]\" space";
        }

        private string StringOf(int min, int max)
        {
            Common("char");
            return "\"\\\"\" " + Repeat("char", min, max) + " \"\\\"\" space";
        }

        private static string Repeat(string what, int min, int max) => max switch
        {
            < 0 => min == 0 ? $"({what})*" : $"({what}){{{min},}}",
            _ when min == max => $"({what}){{{min}}}",
            _ => $"({what}){{{min},{max}}}",
        };

        /// <summary>A named rule for an expression (so repetitions stay small).</summary>
        private string Rule(string expression)
        {
            var name = "r" + this.rules.Count.ToString(CultureInfo.InvariantCulture);
            this.rules.Add($"{name} ::= {expression}");
            return name;
        }

        /// <summary>The shared rules of JSON's own grammar, added once when first used.</summary>
        private string Common(string name)
        {
            if (!common.Add(name)) return name;
            var rule = name switch
            {
                "space" => "space ::= \" \"?",
                "char" => "char ::= [^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})",
                "integer" => "integer ::= \"-\"? ([0-9] | [1-9] [0-9]{1,15}) space",
                "number" => "number ::= \"-\"? ([0-9] | [1-9] [0-9]{1,15}) (\".\" [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})? space",
                "boolean" => "boolean ::= (\"true\" | \"false\") space",
                "null" => "null ::= \"null\" space",
                "string" => "string ::= \"\\\"\" char* \"\\\"\" space",
                "object" => "object ::= \"{\" space (string \":\" space value (\",\" space string \":\" space value)*)? \"}\" space",
                "array" => "array ::= \"[\" space (value (\",\" space value)*)? \"]\" space",
                "value" => "value ::= object | array | string | number | boolean | null",
                _ => throw new ArgumentOutOfRangeException(nameof(name)),
            };
            this.rules.Add(rule);
            foreach (var dependency in Dependencies(name)) Common(dependency);
            return name;
        }

        private static string[] Dependencies(string name) => name switch
        {
            "integer" or "number" or "boolean" or "null" => ["space"],
            "string" => ["char", "space"],
            "object" or "array" => ["string", "value", "space"],
            "value" => ["object", "array", "string", "number", "boolean", "null"],
            _ => [],
        };

        /// <summary>A JSON value as a GBNF string literal, followed by optional space.</summary>
        private string Literal(JsonElement value)
        {
            Common("space");
            var json = JsonSerializer.Serialize(value, LiteralOptions);
            var quoted = new StringBuilder("\"");
            foreach (var c in json)
                quoted.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => c.ToString() });
            return quoted.Append("\" space").ToString();
        }

        private JsonElement Resolve(string reference)
        {
            if (!reference.StartsWith('#')) throw new NotSupportedException($"$ref '{reference}' is not a local reference");
            var node = document;
            foreach (var part in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Uri.UnescapeDataString(part).Replace("~1", "/").Replace("~0", "~");
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node))
                    throw new NotSupportedException($"$ref '{reference}' does not resolve");
            }
            return node;
        }

        private static int Int(JsonElement s, string name, int fallback) =>
            s.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) && i >= 0 ? i : fallback;
    }
}
