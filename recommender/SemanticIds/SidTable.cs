using System.Globalization;
using System.Text;

namespace Mender.Recommender.SemanticIds;

/// <summary>
/// The semantic ID of every item: <see cref="Length"/> codes per item, the learned codes followed by the collision code,
/// unique across the catalogue. Persisted as <c>sids.tsv</c>:
/// <code>
/// # mender sids v1	codebook_sizes=256,256,256,5
/// external_id	item	c1	c2	c3	c4
/// B004756YJA	0	17	203	96	0
/// </code>
/// where <c>item</c> is the dense id and <c>codebook_sizes</c> the number of values each position may take (for the
/// collision code, the size of the largest group), which a model needs to size its vocabulary.
/// </summary>
public sealed class SidTable
{
    private const string Magic = "# mender sids v1";
    private readonly string[] externalIds;
    private readonly int[] codes;
    private readonly int[] codebookSizes;
    private Dictionary<string, int>? byExternalId;
    private SidTrie? trie;

    /// <summary>A table over the items' codes (items × length, row-major) and the range of each position.</summary>
    public SidTable(IReadOnlyList<string> externalIds, int[] codes, int length, int[] codebookSizes)
    {
        if (length < 1 || codes.Length != (long)externalIds.Count * length) throw new ArgumentException("codes must be items × length");
        if (codebookSizes.Length != length) throw new ArgumentException("one codebook size per SID position is required");
        for (var i = 0; i < codes.Length; i++)
            if (codes[i] < 0 || codes[i] >= codebookSizes[i % length])
                throw new ArgumentException($"item {i / length} has code {codes[i]} at position {i % length + 1}, outside 0..{codebookSizes[i % length] - 1}");
        this.externalIds = externalIds.ToArray();
        this.codes = codes;
        this.codebookSizes = codebookSizes;
        Length = length;
    }

    /// <summary>Adds the collision code to learned codes (items × levels) so every item's SID is unique.</summary>
    public static SidTable FromLearnedCodes(IReadOnlyList<string> externalIds, int[] learned, int[] levelSizes)
    {
        var items = externalIds.Count;
        var levels = levelSizes.Length;
        var extra = CollisionCodes.Assign(learned, items, levels);
        var length = levels + 1;
        var codes = new int[items * length];
        for (var i = 0; i < items; i++)
        {
            learned.AsSpan(i * levels, levels).CopyTo(codes.AsSpan(i * length));
            codes[i * length + levels] = extra[i];
        }
        var sizes = levelSizes.Append(items == 0 ? 1 : extra.Max() + 1).ToArray();
        return new SidTable(externalIds, codes, length, sizes);
    }

    /// <summary>The number of items.</summary>
    public int Count => this.externalIds.Length;

    /// <summary>Codes per SID (learned levels plus the collision code).</summary>
    public int Length { get; }

    /// <summary>Values each SID position may take, collision code last.</summary>
    public IReadOnlyList<int> CodebookSizes => this.codebookSizes;

    /// <summary>The SID of an item, by dense id.</summary>
    public ReadOnlySpan<int> this[int item] => this.codes.AsSpan(item * Length, Length);

    /// <summary>The external id of an item, by dense id.</summary>
    public string ExternalId(int item) => this.externalIds[item];

    /// <summary>The dense id of the item with this external id, or -1.</summary>
    public int IndexOf(string externalId)
    {
        byExternalId ??= BuildExternalIndex();
        return byExternalId.TryGetValue(externalId, out var item) ? item : -1;
    }

    /// <summary>The prefix trie over all SIDs, built on first use.</summary>
    public SidTrie Trie => this.trie ??= new SidTrie(this.codes, Count, Length);

    /// <summary>A SID as text for messages and listings, e.g. <c>&lt;3 17 0&gt;</c>.</summary>
    public static string Format(ReadOnlySpan<int> sid)
    {
        var text = new StringBuilder("<");
        for (var i = 0; i < sid.Length; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(sid[i].ToString(CultureInfo.InvariantCulture));
        }
        return text.Append('>').ToString();
    }

    /// <summary>Writes the table as TSV, atomically: a header with the codebook sizes, then external id, dense id and codes per item.</summary>
    public void Save(string path)
    {
        var text = new StringBuilder();
        text.Append(Magic).Append("\tcodebook_sizes=").AppendJoin(',', this.codebookSizes).Append('\n');
        text.Append("external_id\titem");
        for (var p = 1; p <= Length; p++) text.Append("\tc").Append(p);
        text.Append('\n');
        for (var i = 0; i < Count; i++)
        {
            var id = this.externalIds[i];
            if (id.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
                throw new ArgumentException($"item {i}: external id '{id}' contains a tab or line break and cannot be written to a TSV file");
            text.Append(id).Append('\t').Append(i.ToString(CultureInfo.InvariantCulture));
            foreach (var code in this[i]) text.Append('\t').Append(code.ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Reads a table written by <see cref="Save"/>; throws with the file's name when it is malformed.</summary>
    public static SidTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SID table '{path}' not found", path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine();
        var prefix = Magic + "\tcodebook_sizes=";
        if (header is null || !header.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: line 1 is not a '{Magic}' header");
        var sizes = ParseInts(header[prefix.Length..].Split(','), path, 1, "codebook size");
        var length = sizes.Length;
        if (length < 1 || sizes.Any(s => s < 1)) throw new InvalidDataException($"{path}: line 1: codebook sizes must be positive");
        var columns = reader.ReadLine()?.Split('\t');
        if (columns is null || columns.Length != length + 2 || columns[0] != "external_id" || columns[1] != "item")
            throw new InvalidDataException($"{path}: line 2 should name the columns external_id, item and {length} codes");

        var rows = new List<(int Item, string Id, int[] Codes)>();
        var lineNumber = 2;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            if (fields.Length != length + 2)
                throw new InvalidDataException($"{path}: line {lineNumber}: expected {length + 2} tab-separated fields, found {fields.Length}");
            var numbers = ParseInts(fields.AsSpan(1).ToArray(), path, lineNumber, "number");
            rows.Add((numbers[0], fields[0], numbers[1..]));
        }

        var ids = new string[rows.Count];
        var codes = new int[rows.Count * length];
        var seen = new bool[rows.Count];
        foreach (var (item, id, itemCodes) in rows)
        {
            if (item < 0 || item >= rows.Count || seen[item])
                throw new InvalidDataException($"{path}: dense item ids must be 0..{rows.Count - 1}, each once; item {item} breaks that");
            seen[item] = true;
            ids[item] = id;
            itemCodes.CopyTo(codes, item * length);
        }
        try
        {
            var table = new SidTable(ids, codes, length, sizes);
            _ = table.Trie;
            return table;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static int[] ParseInts(string[] fields, string path, int line, string what)
    {
        var values = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
            if (!int.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
                throw new InvalidDataException($"{path}: line {line}: '{fields[i]}' is not a valid {what}");
        return values;
    }

    private Dictionary<string, int> BuildExternalIndex()
    {
        var index = new Dictionary<string, int>(Count, StringComparer.Ordinal);
        for (var i = 0; i < Count; i++) index.TryAdd(this.externalIds[i], i);
        return index;
    }
}
