using System.Numerics;

namespace Mender.Llm.Sampling;

/// <summary>
/// A pushdown automaton over the bytes of a JSON text that conforms to a <see cref="JsonSchemaNode"/>. It accepts
/// compact JSON with at most one space after ':' and ','. <see cref="Remaining"/> is the exact length of the shortest
/// way to complete the text, which lets the constraint always leave room to finish within a token budget.
/// The state is a small stack of frames, cheap to copy for trying out a token's bytes.
/// </summary>
internal sealed class JsonGrammarState
{
    public const int MaxDepth = 48;

    /// <summary>Longest number accepted, in characters.</summary>
    private const int MaxNumberLength = 24;

    private static readonly byte[][] BooleanLiterals = ["true"u8.ToArray(), "false"u8.ToArray()];
    private static readonly byte[][] NullLiteral = ["null"u8.ToArray()];

    private enum Kind : byte { Value, Object, Array, String, Number, Literal, Done }

    // Object phases
    private const byte AfterOpen = 0, InKey = 1, AfterKey = 2, InValue = 3, AfterValue = 4, AfterComma = 5;

    // String phases
    private const byte Plain = 0, Escape = 1, UnicodeHex = 2, Utf8 = 3;

    // Number phases
    private const byte NumStart = 0, NumMinus = 1, NumZero = 2, NumInt = 3, NumDot = 4, NumFrac = 5, NumExp = 6, NumExpSign = 7, NumExpDigits = 8;

    private struct Frame
    {
        public Kind Kind;
        public byte Phase;
        public bool SpaceAllowed;
        public bool IsKey;
        public byte NextLow;
        public byte NextHigh;
        public int Count;
        public int Pending;
        public int Chosen;
        public ulong Mask;
        public JsonSchemaNode Node;
        public byte[][] Literals;
    }

    private readonly Frame[] _frames = new Frame[MaxDepth + 1];
    private int _depth;

    public JsonGrammarState(JsonSchemaNode root)
    {
        _frames[0] = new Frame { Kind = Kind.Value, Node = root, Literals = [] };
        _depth = 1;
    }

    private JsonGrammarState()
    {
    }

    /// <summary>No further byte is possible: the top-level value is closed.</summary>
    public bool IsDone => _frames[_depth - 1].Kind == Kind.Done;

    /// <summary>
    /// Inside a string, between characters, with no length limit: any printable text without quote or backslash
    /// may follow, and it leaves <see cref="Remaining"/> unchanged or smaller.
    /// </summary>
    public bool IsInPlainString
    {
        get
        {
            ref var f = ref _frames[_depth - 1];
            return f.Kind == Kind.String && f.Count >= 0 && f.Phase == Plain && f.Node.MaxLength == int.MaxValue;
        }
    }

    /// <summary>The bytes so far form a complete value (possibly extendable, as a number is).</summary>
    public bool IsComplete => Remaining == 0;

    public JsonGrammarState Clone()
    {
        var copy = new JsonGrammarState();
        copy.CopyFrom(this);
        return copy;
    }

    public void CopyFrom(JsonGrammarState other)
    {
        Array.Copy(other._frames, _frames, other._depth);
        _depth = other._depth;
    }

    public bool Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (!Feed(b)) return false;
        return true;
    }

    /// <summary>Consumes one byte; false (and an unusable state) if the byte cannot continue a conforming text.</summary>
    public bool Feed(byte b)
    {
        while (true)
        {
            ref var f = ref _frames[_depth - 1];
            switch (f.Kind)
            {
                case Kind.Done:
                    return false;
                case Kind.Value:
                    if (b == ' ' && f.SpaceAllowed)
                    {
                        f.SpaceAllowed = false;
                        return true;
                    }
                    if (!StartValue(ref f, b)) return false;
                    continue;
                case Kind.Object:
                    return FeedObject(ref f, b);
                case Kind.Array:
                    switch (FeedArray(ref f, b))
                    {
                        case Step.Fail: return false;
                        case Step.Refeed: continue;
                        default: return true;
                    }
                case Kind.String:
                    return FeedString(ref f, b);
                case Kind.Number:
                    switch (FeedNumber(ref f, b))
                    {
                        case Step.Fail: return false;
                        case Step.Refeed: continue;
                        default: return true;
                    }
                default:
                    switch (FeedLiteral(ref f, b))
                    {
                        case Step.Fail: return false;
                        case Step.Refeed: continue;
                        default: return true;
                    }
            }
        }
    }

    private enum Step : byte { Fail, Consumed, Refeed }

    /// <summary>Turns a Value frame into the frame of the concrete value its first byte starts (which then reads that byte).</summary>
    private bool StartValue(ref Frame f, byte b)
    {
        var node = f.Node.Resolve(b);
        if (node is null) return false;
        var isKey = f.IsKey;
        switch (node.Kind)
        {
            case JsonNodeKind.Object:
                if (_depth >= MaxDepth) return false;
                f = new Frame { Kind = Kind.Object, Node = node, Phase = AfterOpen, Chosen = -1, Literals = node.PropertyKeys };
                return Consume(ref f);
            case JsonNodeKind.Array:
                if (_depth >= MaxDepth) return false;
                f = new Frame { Kind = Kind.Array, Node = node, Phase = AfterOpen, Literals = [] };
                return Consume(ref f);
            case JsonNodeKind.String:
                f = new Frame { Kind = Kind.String, Node = node, Phase = Plain, IsKey = isKey, Literals = [], Count = -1 };
                return true;
            case JsonNodeKind.Number or JsonNodeKind.Integer:
                f = new Frame { Kind = Kind.Number, Node = node, Phase = NumStart, Literals = [] };
                return true;
            case JsonNodeKind.Boolean:
                f = LiteralFrame(node, BooleanLiterals);
                return true;
            case JsonNodeKind.Null:
                f = LiteralFrame(node, NullLiteral);
                return true;
            default:
                f = LiteralFrame(node, node.Literals);
                return true;
        }
    }

    /// <summary>
    /// The new object or array frame still has its opening bracket to read: <see cref="Feed(byte)"/> hands the same byte
    /// to the frame that replaced the Value frame, as it does for strings, numbers and literals.
    /// </summary>
    private static bool Consume(ref Frame f)
    {
        f.Pending = 1;
        return true;
    }

    private static Frame LiteralFrame(JsonSchemaNode node, byte[][] literals) => new()
    {
        Kind = Kind.Literal,
        Node = node,
        Literals = literals,
        Mask = literals.Length == 64 ? ulong.MaxValue : (1UL << literals.Length) - 1,
    };

    private bool FeedObject(ref Frame f, byte b)
    {
        if (f.Pending == 1)
        {
            // The '{' that opened this object.
            f.Pending = 0;
            return b == '{';
        }
        var node = f.Node;
        switch (f.Phase)
        {
            case AfterOpen:
                if (b == '}') return MissingRequired(ref f) == 0 && Complete();
                if (b != '"') return false;
                return StartKey(ref f, b);
            case AfterKey:
                if (b != ':') return false;
                f.Phase = InValue;
                return Push(new Frame
                {
                    Kind = Kind.Value,
                    Node = node.FreeKeys ? JsonSchemaNode.AnyValue : node.Properties[f.Chosen].Value,
                    SpaceAllowed = true,
                    Literals = [],
                });
            case AfterValue:
                if (b == '}') return MissingRequired(ref f) == 0 && Complete();
                if (b != ',' || (!node.FreeKeys && Unused(ref f) == 0)) return false;
                f.Phase = AfterComma;
                f.SpaceAllowed = true;
                return true;
            case AfterComma:
                if (b == ' ' && f.SpaceAllowed)
                {
                    f.SpaceAllowed = false;
                    return true;
                }
                return b == '"' && StartKey(ref f, b);
            default:
                return false;
        }
    }

    private bool StartKey(ref Frame f, byte quote)
    {
        f.Phase = InKey;
        if (f.Node.FreeKeys)
            return Push(new Frame { Kind = Kind.String, Node = JsonSchemaNode.AnyString, IsKey = true, Phase = Plain, Literals = [] });
        var unused = Unused(ref f);
        if (unused == 0) return false;
        if (!Push(new Frame { Kind = Kind.Literal, Node = f.Node, Literals = f.Node.PropertyKeys, Mask = unused, IsKey = true }))
            return false;
        return FeedLiteral(ref _frames[_depth - 1], quote) == Step.Consumed;
    }

    private static ulong AllProperties(JsonSchemaNode node) =>
        node.Properties.Length == 64 ? ulong.MaxValue : (1UL << node.Properties.Length) - 1;

    private static ulong Unused(ref Frame f) => AllProperties(f.Node) & ~f.Mask;

    private static ulong MissingRequired(ref Frame f) => f.Node.RequiredMask & ~f.Mask;

    private Step FeedArray(ref Frame f, byte b)
    {
        if (f.Pending == 1)
        {
            f.Pending = 0;
            return b == '[' ? Step.Consumed : Step.Fail;
        }
        var node = f.Node;
        switch (f.Phase)
        {
            case AfterOpen:
                if (b == ']') return node.MinItems == 0 && Complete() ? Step.Consumed : Step.Fail;
                if (node.MaxItems == 0) return Step.Fail;
                f.Phase = InValue;
                return Push(new Frame { Kind = Kind.Value, Node = node.Items!, Literals = [] }) ? Step.Refeed : Step.Fail;
            case AfterValue:
                if (b == ']') return f.Count >= node.MinItems && Complete() ? Step.Consumed : Step.Fail;
                if (b != ',' || f.Count >= node.MaxItems) return Step.Fail;
                f.Phase = InValue;
                return Push(new Frame { Kind = Kind.Value, Node = node.Items!, SpaceAllowed = true, Literals = [] }) ? Step.Consumed : Step.Fail;
            default:
                return Step.Fail;
        }
    }

    private bool FeedString(ref Frame f, byte b)
    {
        if (f.Count < 0)
        {
            // The opening quote.
            f.Count = 0;
            return b == '"';
        }
        var node = f.Node;
        switch (f.Phase)
        {
            case Plain:
                if (b == '"') return f.Count >= node.MinLength && Complete();
                if (f.Count >= node.MaxLength || b < 0x20) return false;
                if (b == '\\')
                {
                    f.Phase = Escape;
                    return true;
                }
                if (b < 0x80)
                {
                    f.Count++;
                    return true;
                }
                return StartUtf8(ref f, b);
            case Escape:
                if (b == 'u')
                {
                    f.Phase = UnicodeHex;
                    f.Pending = 0;
                    return true;
                }
                if (b is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
                    return false;
                f.Phase = Plain;
                f.Count++;
                return true;
            case UnicodeHex:
                // No \uD800-\uDFFF: surrogate escapes would have to come in valid pairs.
                if (!IsHex(b) || (f.Pending == 0 && b is (byte)'d' or (byte)'D')) return false;
                if (++f.Pending == 4)
                {
                    f.Phase = Plain;
                    f.Count++;
                }
                return true;
            default:
                if (b < f.NextLow || b > f.NextHigh) return false;
                f.NextLow = 0x80;
                f.NextHigh = 0xBF;
                if (--f.Pending == 0)
                {
                    f.Phase = Plain;
                    f.Count++;
                }
                return true;
        }
    }

    /// <summary>Starts a multi-byte UTF-8 character, allowing only well-formed sequences (no overlongs or surrogates).</summary>
    private static bool StartUtf8(ref Frame f, byte b)
    {
        (int pending, int low, int high) = b switch
        {
            >= 0xC2 and <= 0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            >= 0xE1 and <= 0xEC or 0xEE or 0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            >= 0xF1 and <= 0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => (0, 0, 0),
        };
        if (pending == 0) return false;
        f.Phase = Utf8;
        f.Pending = pending;
        f.NextLow = (byte)low;
        f.NextHigh = (byte)high;
        return true;
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private Step FeedNumber(ref Frame f, byte b)
    {
        var digit = b is >= (byte)'0' and <= (byte)'9';
        var integer = f.Node.Kind == JsonNodeKind.Integer;
        var room = f.Count < MaxNumberLength;
        byte next = f.Phase switch
        {
            NumStart when b == '-' => NumMinus,
            NumStart or NumMinus when b == '0' => NumZero,
            NumStart or NumMinus when digit => NumInt,
            NumInt when digit => NumInt,
            NumZero or NumInt when b == '.' && !integer => NumDot,
            NumZero or NumInt or NumFrac when b is (byte)'e' or (byte)'E' && !integer => NumExp,
            NumDot or NumFrac when digit => NumFrac,
            NumExp when b is (byte)'+' or (byte)'-' => NumExpSign,
            NumExp or NumExpSign or NumExpDigits when digit => NumExpDigits,
            _ => byte.MaxValue,
        };
        if (next != byte.MaxValue && room)
        {
            f.Phase = next;
            f.Count++;
            return Step.Consumed;
        }
        // Any other byte ends the number, if it is complete, and belongs to the enclosing value.
        return IsNumberComplete(f.Phase) && Complete() ? Step.Refeed : Step.Fail;
    }

    private static bool IsNumberComplete(byte phase) => phase is NumZero or NumInt or NumFrac or NumExpDigits;

    private Step FeedLiteral(ref Frame f, byte b)
    {
        var position = f.Count;
        ulong alive = 0, complete = 0;
        for (var bits = f.Mask; bits != 0; bits &= bits - 1)
        {
            var i = BitOperations.TrailingZeroCount(bits);
            var literal = f.Literals[i];
            if (literal.Length > position && literal[position] == b) alive |= 1UL << i;
            if (literal.Length == position) complete |= 1UL << i;
        }
        if (alive != 0)
        {
            f.Mask = alive;
            f.Count = position + 1;
            // Close as soon as the only way on is finished (keys are quoted, so they never extend one another).
            var done = 0UL;
            var longer = false;
            for (var bits = alive; bits != 0; bits &= bits - 1)
            {
                var i = BitOperations.TrailingZeroCount(bits);
                if (f.Literals[i].Length == f.Count) done |= 1UL << i;
                else longer = true;
            }
            if (done != 0 && !longer)
                return FinishLiteral(ref f, done) ? Step.Consumed : Step.Fail;
            return Step.Consumed;
        }
        if (complete != 0)
            return FinishLiteral(ref f, complete) ? Step.Refeed : Step.Fail;
        return Step.Fail;
    }

    private bool FinishLiteral(ref Frame f, ulong finished)
    {
        if (f.IsKey)
            _frames[_depth - 2].Chosen = BitOperations.TrailingZeroCount(finished);
        return Complete();
    }

    private bool Push(Frame frame)
    {
        if (_depth > MaxDepth) return false;
        _frames[_depth++] = frame;
        return true;
    }

    /// <summary>Pops the finished top frame and advances its parent past the value.</summary>
    private bool Complete()
    {
        _depth--;
        if (_depth == 0)
        {
            _frames[0] = new Frame { Kind = Kind.Done, Literals = [] };
            _depth = 1;
            return true;
        }
        ref var parent = ref _frames[_depth - 1];
        if (parent.Kind == Kind.Object)
        {
            if (parent.Phase == InKey) parent.Phase = AfterKey;
            else
            {
                if (!parent.Node.FreeKeys) parent.Mask |= 1UL << parent.Chosen;
                parent.Phase = AfterValue;
            }
        }
        else if (parent.Kind == Kind.Array)
        {
            parent.Count++;
            parent.Phase = AfterValue;
        }
        return true;
    }

    /// <summary>Length in bytes of the shortest continuation that completes the text (0: complete now).</summary>
    public int Remaining
    {
        get
        {
            var total = 0;
            for (var level = 0; level < _depth; level++)
                total += FrameRemaining(level);
            return total;
        }
    }

    private int FrameRemaining(int level)
    {
        ref var f = ref _frames[level];
        var node = f.Node;
        switch (f.Kind)
        {
            case Kind.Done:
                return 0;
            case Kind.Value:
                return node.MinimumBytes;
            case Kind.String:
                if (f.Count < 0) return node.MinimumBytes;
                var pendingChar = f.Phase switch { Escape => 1, UnicodeHex => 4 - f.Pending, Utf8 => f.Pending, _ => 0 };
                return pendingChar + 1 + Math.Max(0, node.MinLength - f.Count - (f.Phase == Plain ? 0 : 1));
            case Kind.Number:
                return IsNumberComplete(f.Phase) ? 0 : 1;
            case Kind.Literal:
                if (f.IsKey) return 0;
                return MinLiteralRest(ref f);
            case Kind.Array:
                if (f.Pending == 1) return node.MinimumBytes;
                var item = node.Items!.MinimumBytes;
                var have = f.Phase == InValue ? f.Count + 1 : f.Count;
                if (f.Phase == AfterOpen)
                    return node.MinItems == 0 ? 1 : node.MinItems * item + node.MinItems - 1 + 1;
                return Math.Max(0, node.MinItems - have) * (1 + item) + 1;
            default:
                return ObjectRemaining(level);
        }
    }

    private int MinLiteralRest(ref Frame f)
    {
        var best = int.MaxValue;
        for (var bits = f.Mask; bits != 0; bits &= bits - 1)
            best = Math.Min(best, f.Literals[BitOperations.TrailingZeroCount(bits)].Length - f.Count);
        return best;
    }

    private int ObjectRemaining(int level)
    {
        ref var f = ref _frames[level];
        var node = f.Node;
        if (f.Pending == 1) return node.MinimumBytes;
        if (node.FreeKeys)
            return f.Phase switch
            {
                InKey => 1 + 1 + 1,
                AfterKey => 1 + 1 + 1,
                AfterComma => 2 + 1 + 1 + 1,
                _ => 1,
            };
        var missing = MissingRequired(ref f);
        switch (f.Phase)
        {
            case AfterOpen:
            {
                var (cost, count) = Cost(node, missing);
                return count == 0 ? 1 : cost + count - 1 + 1;
            }
            case InKey:
            {
                // The key being matched is the frame above; complete it with its value, then the rest.
                ref var key = ref _frames[level + 1];
                var best = int.MaxValue;
                for (var bits = key.Mask; bits != 0; bits &= bits - 1)
                {
                    var i = BitOperations.TrailingZeroCount(bits);
                    var (cost, count) = Cost(node, missing & ~(1UL << i));
                    var keyRest = node.PropertyKeys[i].Length - key.Count;
                    best = Math.Min(best, keyRest + 1 + node.Properties[i].Value.MinimumBytes + cost + count + 1);
                }
                return best;
            }
            case AfterKey:
            {
                var (cost, count) = Cost(node, missing & ~(1UL << f.Chosen));
                return 1 + node.Properties[f.Chosen].Value.MinimumBytes + cost + count + 1;
            }
            case InValue:
            {
                var (cost, count) = Cost(node, missing & ~(1UL << f.Chosen));
                return cost + count + 1;
            }
            case AfterValue:
            {
                var (cost, count) = Cost(node, missing);
                return cost + count + 1;
            }
            default:
            {
                var (cost, count) = Cost(node, missing);
                if (count > 0) return cost + count - 1 + 1;
                var cheapest = int.MaxValue;
                for (var bits = Unused(ref f); bits != 0; bits &= bits - 1)
                    cheapest = Math.Min(cheapest, JsonSchemaNode.PropertyCost(node.Properties[BitOperations.TrailingZeroCount(bits)]));
                return cheapest + 1;
            }
        }
    }

    private static (int Cost, int Count) Cost(JsonSchemaNode node, ulong properties)
    {
        int cost = 0, count = 0;
        for (var bits = properties; bits != 0; bits &= bits - 1)
        {
            cost += JsonSchemaNode.PropertyCost(node.Properties[BitOperations.TrailingZeroCount(bits)]);
            count++;
        }
        return (cost, count);
    }
}
