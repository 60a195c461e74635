using System.Runtime.CompilerServices;
using Mender.Llm.Tokenizers;

namespace Mender.Llm.Sampling;

/// <summary>
/// The bytes every token adds to the output, indexed for constrained decoding: tokens grouped by their first two
/// bytes (so a state that rejects a prefix rejects the whole group at once), and the set of "plain text" tokens that
/// can stand anywhere inside a JSON string (printable, no quote or backslash, whole UTF-8 characters). Built once per
/// tokenizer.
/// </summary>
internal sealed class TokenByteTable
{
    private static readonly ConditionalWeakTable<Tokenizer, TokenByteTable> Cache = new();

    /// <summary>Tokens grouped by leading bytes: one-byte tokens by their byte, longer ones by their first two bytes.</summary>
    public sealed class Groups
    {
        public readonly int[]?[] Single = new int[]?[256];
        public readonly int[]?[]?[] Pair = new int[]?[]?[256];

        public static Groups Of(IEnumerable<int> ids, byte[][] bytes)
        {
            var single = new Dictionary<int, List<int>>();
            var pair = new Dictionary<int, List<int>>();
            foreach (var id in ids)
            {
                var b = bytes[id];
                var key = b.Length == 1 ? b[0] : b[0] << 8 | b[1];
                var map = b.Length == 1 ? single : pair;
                if (!map.TryGetValue(key, out var list)) map[key] = list = [];
                list.Add(id);
            }
            var groups = new Groups();
            foreach (var (key, list) in single) groups.Single[key] = list.ToArray();
            foreach (var (key, list) in pair)
            {
                var row = groups.Pair[key >> 8] ??= new int[]?[256];
                row[key & 255] = list.ToArray();
            }
            return groups;
        }
    }

    private TokenByteTable(Tokenizer tokenizer)
    {
        var n = tokenizer.VocabularySize;
        VocabularySize = n;
        Bytes = new byte[n][];
        PlainString = new ulong[(n + 63) / 64];
        var all = new List<int>();
        var notPlain = new List<int>();
        for (var id = 0; id < n; id++)
        {
            var bytes = tokenizer.TokenBytes(id).ToArray();
            Bytes[id] = bytes;
            if (bytes.Length == 0) continue;
            all.Add(id);
            if (IsPlainString(bytes)) PlainString[id >> 6] |= 1UL << id;
            else notPlain.Add(id);
        }
        All = Groups.Of(all, Bytes);
        NotPlainString = Groups.Of(notPlain, Bytes);
        EndOfGeneration = tokenizer.Vocabulary.EndOfGeneration.Where(id => id < n).Order().ToArray();
    }

    public static TokenByteTable For(Tokenizer tokenizer) => Cache.GetValue(tokenizer, t => new TokenByteTable(t));

    public int VocabularySize { get; }

    /// <summary>Each token's bytes (empty for control tokens, which never appear in constrained text).</summary>
    public byte[][] Bytes { get; }

    /// <summary>All non-empty tokens.</summary>
    public Groups All { get; }

    /// <summary>Bit set of tokens that are plain text inside a JSON string.</summary>
    public ulong[] PlainString { get; }

    /// <summary>Non-empty tokens outside <see cref="PlainString"/>.</summary>
    public Groups NotPlainString { get; }

    public int[] EndOfGeneration { get; }

    private static bool IsPlainString(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length;)
        {
            var b = bytes[i];
            if (b < 0x20 || b == '"' || b == '\\') return false;
            if (System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out var used) != System.Buffers.OperationStatus.Done)
                return false;
            i += used;
        }
        return true;
    }
}
