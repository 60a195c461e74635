using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mender.Llm.Sampling;

internal enum JsonNodeKind : byte
{
    Any,
    Object,
    Array,
    String,
    Number,
    Integer,
    Boolean,
    Null,
    Enum,
    Union,
}

/// <summary>An object property: its key as it appears in JSON (quoted, escaped), its value schema and whether it is required.</summary>
internal sealed record JsonSchemaProperty(string Name, byte[] KeyLiteral, JsonSchemaNode Value, bool Required);

/// <summary>
/// A compiled node of the JSON-schema subset the constraint supports: object (listed properties, required keys;
/// an object without listed properties takes any keys), array (items, minItems, maxItems), string (minLength,
/// maxLength), number, integer, boolean, null, enum/const, and unions (type lists, anyOf, oneOf) whose alternatives
/// start with different characters. Other keywords (pattern, format, minimum, ...) are not enforced.
/// </summary>
internal sealed class JsonSchemaNode
{
    /// <summary>Most properties per object and values per enum (they are tracked as bit sets).</summary>
    public const int MaxAlternatives = 64;

    public JsonNodeKind Kind { get; private init; }
    public JsonSchemaProperty[] Properties { get; private init; } = [];
    public byte[][] PropertyKeys { get; private init; } = [];
    public ulong RequiredMask { get; private init; }

    /// <summary>Object without listed properties: any string keys, values of any type.</summary>
    public bool FreeKeys { get; private init; }

    public JsonSchemaNode? Items { get; private init; }
    public int MinItems { get; private init; }
    public int MaxItems { get; private init; } = int.MaxValue;
    public int MinLength { get; private init; }
    public int MaxLength { get; private init; } = int.MaxValue;

    /// <summary>Enum values as compact JSON text.</summary>
    public byte[][] Literals { get; private init; } = [];

    public JsonSchemaNode[] Alternatives { get; private init; } = [];

    /// <summary>Length in bytes of the shortest JSON text this node accepts.</summary>
    public int MinimumBytes { get; private set; }

    public static readonly JsonSchemaNode AnyValue = Make(new JsonSchemaNode { Kind = JsonNodeKind.Any });
    public static readonly JsonSchemaNode AnyObject = Make(new JsonSchemaNode { Kind = JsonNodeKind.Object, FreeKeys = true });
    public static readonly JsonSchemaNode AnyArray = Make(new JsonSchemaNode { Kind = JsonNodeKind.Array, Items = AnyValue });
    public static readonly JsonSchemaNode AnyString = Make(new JsonSchemaNode { Kind = JsonNodeKind.String });
    public static readonly JsonSchemaNode AnyNumber = Make(new JsonSchemaNode { Kind = JsonNodeKind.Number });
    public static readonly JsonSchemaNode AnyBoolean = Make(new JsonSchemaNode { Kind = JsonNodeKind.Boolean });
    public static readonly JsonSchemaNode NullValue = Make(new JsonSchemaNode { Kind = JsonNodeKind.Null });

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static JsonSchemaNode Make(JsonSchemaNode node)
    {
        node.MinimumBytes = node.ComputeMinimumBytes();
        return node;
    }

    /// <summary>The node of a JSON schema document. Throws <see cref="NotSupportedException"/> for constructs outside the subset.</summary>
    public static JsonSchemaNode Parse(JsonElement schema) => new Parser(schema).Parse(schema, 0);

    public static JsonSchemaNode Parse(string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson);
        return Parse(document.RootElement.Clone());
    }

    /// <summary>Can a JSON text of this node begin with <paramref name="b"/>?</summary>
    public bool CanStartWith(byte b) => Kind switch
    {
        JsonNodeKind.Any => b is (byte)'{' or (byte)'[' or (byte)'"' or (byte)'-' or >= (byte)'0' and <= (byte)'9'
            or (byte)'t' or (byte)'f' or (byte)'n',
        JsonNodeKind.Object => b == '{',
        JsonNodeKind.Array => b == '[',
        JsonNodeKind.String => b == '"',
        JsonNodeKind.Number or JsonNodeKind.Integer => b is (byte)'-' or >= (byte)'0' and <= (byte)'9',
        JsonNodeKind.Boolean => b is (byte)'t' or (byte)'f',
        JsonNodeKind.Null => b == 'n',
        JsonNodeKind.Enum => Literals.Any(l => l[0] == b),
        _ => Alternatives.Any(a => a.CanStartWith(b)),
    };

    /// <summary>For an Any or union node: the concrete node a value starting with <paramref name="b"/> belongs to.</summary>
    public JsonSchemaNode? Resolve(byte b)
    {
        if (Kind == JsonNodeKind.Union)
            return Alternatives.FirstOrDefault(a => a.CanStartWith(b))?.ResolveOrSelf(b);
        if (Kind != JsonNodeKind.Any) return CanStartWith(b) ? this : null;
        return b switch
        {
            (byte)'{' => AnyObject,
            (byte)'[' => AnyArray,
            (byte)'"' => AnyString,
            (byte)'-' or >= (byte)'0' and <= (byte)'9' => AnyNumber,
            (byte)'t' or (byte)'f' => AnyBoolean,
            (byte)'n' => NullValue,
            _ => null,
        };
    }

    private JsonSchemaNode? ResolveOrSelf(byte b) => Kind is JsonNodeKind.Union or JsonNodeKind.Any ? Resolve(b) : this;

    private int ComputeMinimumBytes() => Kind switch
    {
        JsonNodeKind.Any or JsonNodeKind.Number or JsonNodeKind.Integer => 1,
        JsonNodeKind.Object => FreeKeys ? 2 : 2 + RequiredCost(),
        JsonNodeKind.Array => 2 + MinItems * Items!.MinimumBytes + Math.Max(0, MinItems - 1),
        JsonNodeKind.String => 2 + MinLength,
        JsonNodeKind.Boolean => 4,
        JsonNodeKind.Null => 4,
        JsonNodeKind.Enum => Literals.Min(l => l.Length),
        _ => Alternatives.Min(a => a.MinimumBytes),
    };

    private int RequiredCost()
    {
        int cost = 0, count = 0;
        foreach (var p in Properties)
            if (p.Required)
            {
                cost += PropertyCost(p);
                count++;
            }
        return cost + Math.Max(0, count - 1);
    }

    /// <summary>Bytes of "key":value with the shortest value.</summary>
    public static int PropertyCost(JsonSchemaProperty p) => p.KeyLiteral.Length + 1 + p.Value.MinimumBytes;

    private sealed class Parser(JsonElement root)
    {
        private const int MaxDepth = 32;

        public JsonSchemaNode Parse(JsonElement s, int depth)
        {
            if (depth > MaxDepth)
                throw new NotSupportedException("JSON schema nests deeper than 32 levels (recursive $ref?)");
            if (s.ValueKind == JsonValueKind.True) return AnyValue;
            if (s.ValueKind != JsonValueKind.Object)
                throw new NotSupportedException($"a JSON schema must be an object or true, not {s.ValueKind}");

            if (s.TryGetProperty("$ref", out var reference))
                return Parse(Resolve(reference.GetString() ?? ""), depth + 1);
            if (s.TryGetProperty("const", out var constant))
                return Make(new JsonSchemaNode { Kind = JsonNodeKind.Enum, Literals = [Literal(constant)] });
            if (s.TryGetProperty("enum", out var values))
            {
                var literals = values.EnumerateArray().Select(Literal).Distinct(ByteArrayComparer.Instance).ToArray();
                if (literals.Length is 0 or > MaxAlternatives)
                    throw new NotSupportedException($"enum with {literals.Length} values (1 to {MaxAlternatives} are supported)");
                return Make(new JsonSchemaNode { Kind = JsonNodeKind.Enum, Literals = literals });
            }
            foreach (var keyword in new[] { "anyOf", "oneOf" })
                if (s.TryGetProperty(keyword, out var alternatives))
                    return Union(alternatives.EnumerateArray().Select(a => Parse(a, depth + 1)).ToArray());
            if (s.TryGetProperty("allOf", out var all) && all.GetArrayLength() == 1)
                return Parse(all[0], depth + 1);

            if (s.TryGetProperty("type", out var type))
            {
                if (type.ValueKind == JsonValueKind.Array)
                    return Union(type.EnumerateArray().Select(t => Typed(s, t.GetString() ?? "", depth)).ToArray());
                return Typed(s, type.GetString() ?? "", depth);
            }
            if (s.TryGetProperty("properties", out _)) return Typed(s, "object", depth);
            if (s.TryGetProperty("items", out _)) return Typed(s, "array", depth);
            return AnyValue;
        }

        private JsonSchemaNode Typed(JsonElement s, string type, int depth) => type switch
        {
            "object" => ObjectNode(s, depth),
            "array" => Make(new JsonSchemaNode
            {
                Kind = JsonNodeKind.Array,
                Items = s.TryGetProperty("items", out var items) ? Parse(items, depth + 1) : AnyValue,
                MinItems = Int(s, "minItems", 0),
                MaxItems = Int(s, "maxItems", int.MaxValue),
            }),
            "string" => Make(new JsonSchemaNode
            {
                Kind = JsonNodeKind.String,
                MinLength = Int(s, "minLength", 0),
                MaxLength = Int(s, "maxLength", int.MaxValue),
            }),
            "number" => AnyNumber,
            "integer" => Make(new JsonSchemaNode { Kind = JsonNodeKind.Integer }),
            "boolean" => AnyBoolean,
            "null" => NullValue,
            _ => throw new NotSupportedException($"JSON schema type '{type}' is not supported"),
        };

        private JsonSchemaNode ObjectNode(JsonElement s, int depth)
        {
            if (!s.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
                return AnyObject;
            var required = new HashSet<string>(StringComparer.Ordinal);
            if (s.TryGetProperty("required", out var req))
                foreach (var r in req.EnumerateArray())
                    required.Add(r.GetString() ?? "");
            var list = new List<JsonSchemaProperty>();
            foreach (var p in properties.EnumerateObject())
                list.Add(new JsonSchemaProperty(p.Name, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(p.Name, SerializerOptions)),
                    Parse(p.Value, depth + 1), required.Contains(p.Name)));
            foreach (var name in required)
                if (list.All(p => p.Name != name))
                    throw new NotSupportedException($"required property '{name}' has no schema under properties");
            if (list.Count > MaxAlternatives)
                throw new NotSupportedException($"object with {list.Count} properties (at most {MaxAlternatives} are supported)");
            ulong mask = 0;
            for (var i = 0; i < list.Count; i++)
                if (list[i].Required) mask |= 1UL << i;
            if (list.Count == 0) return AnyObject;
            return Make(new JsonSchemaNode
            {
                Kind = JsonNodeKind.Object,
                Properties = list.ToArray(),
                PropertyKeys = list.Select(p => p.KeyLiteral).ToArray(),
                RequiredMask = mask,
            });
        }

        private static JsonSchemaNode Union(JsonSchemaNode[] alternatives)
        {
            if (alternatives.Length == 1) return alternatives[0];
            for (var b = 0; b < 256; b++)
                if (alternatives.Count(a => a.CanStartWith((byte)b)) > 1)
                    throw new NotSupportedException(
                        $"union whose alternatives can both start with '{(char)b}' (only alternatives that start differently are supported)");
            return Make(new JsonSchemaNode { Kind = JsonNodeKind.Union, Alternatives = alternatives });
        }

        private JsonElement Resolve(string reference)
        {
            if (!reference.StartsWith("#", StringComparison.Ordinal))
                throw new NotSupportedException($"$ref '{reference}' is not a local reference");
            var node = root;
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

    private static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = Encoder };

    private static byte[] Literal(JsonElement value) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, SerializerOptions));

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj)
        {
            var h = new HashCode();
            h.AddBytes(obj);
            return h.ToHashCode();
        }
    }
}
