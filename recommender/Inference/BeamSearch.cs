using Mender.Numerics;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Inference;

/// <summary>
/// Beam search over the SID prefix trie: at every step only codes that continue some real item's SID are expanded, so
/// every result is a catalogue item. Runs several queries at once (each with its own beam) so the scorer sees one batch
/// per step. With a temperature, beams are chosen by Gumbel-perturbed scores (sampling without replacement) for
/// diverse results, while the reported score stays the sum of log-probabilities. Buffers are reused across calls.
/// </summary>
public sealed class BeamSearch
{
    private readonly SidTrie trie;
    private int capacity;
    private int[] prefixes = [];
    private int[] compact = [];
    private int[] nodes = [];
    private float[] scores = [];
    private int[] nextPrefixes = [];
    private int[] parents = [];
    private int[] nextNodes = [];
    private float[] nextScores = [];
    private float[] logProbs = [];
    private readonly float[] candidateKey;
    private readonly float[] candidateScore;
    private readonly int[] candidateRow;
    private readonly int[] candidateNode;
    private readonly int[] candidateCode;

    /// <summary>A search over the SIDs of a trie that keeps the given number of best prefixes at each step.</summary>
    public BeamSearch(SidTrie trie, int beam)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(beam, 1);
        this.trie = trie;
        Beam = beam;
        candidateKey = new float[beam];
        candidateScore = new float[beam];
        candidateRow = new int[beam];
        candidateNode = new int[beam];
        candidateCode = new int[beam];
    }

    /// <summary>How many prefixes the search keeps at each step.</summary>
    public int Beam { get; }

    /// <summary>
    /// The top <paramref name="k"/> items (k ≤ beam) for each of <paramref name="queries"/> queries, best first.
    /// <paramref name="temperature"/> 0 is deterministic beam search; above 0 it samples (needs <paramref name="rng"/>).
    /// </summary>
    public Recommendation[][] Search(IStepScorer scorer, int queries, int k, float temperature = 0f, Rng? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queries, 0);
        if (k < 1 || k > Beam) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must lie in 1..beam ({Beam})");
        if (temperature < 0 || (temperature > 0 && rng is null))
            throw new ArgumentException("temperature must be ≥ 0, and sampling needs a random generator");
        var length = trie.Length;
        if (scorer.CodebookSizes.Count != length)
            throw new ArgumentException($"scorer has {scorer.CodebookSizes.Count} SID positions, the trie {length}");
        Reserve(queries, scorer.CodebookSizes.Max());

        // Step 0 scores one row per query (every beam starts at the root); later steps score Beam rows per query.
        var perQuery = 1;
        for (var row = 0; row < queries; row++)
        {
            nodes[row] = SidTrie.Root;
            scores[row] = 0f;
        }
        for (var step = 0; step < length; step++)
        {
            var rows = queries * perQuery;
            var width = scorer.CodebookSizes[step];
            for (var row = 0; row < rows; row++)
                Array.Copy(prefixes, row * length, compact, row * step, step);
            scorer.Score(compact.AsSpan(0, rows * step), parents.AsSpan(0, step == 0 ? 0 : rows), rows, step, logProbs.AsSpan(0, rows * width));
            for (var q = 0; q < queries; q++)
                Expand(q, perQuery, step, width, temperature, rng);
            (prefixes, nextPrefixes) = (nextPrefixes, prefixes);
            (nodes, nextNodes) = (nextNodes, nodes);
            (scores, nextScores) = (nextScores, scores);
            perQuery = Beam;
        }

        var results = new Recommendation[queries][];
        for (var q = 0; q < queries; q++)
        {
            var found = 0;
            for (var b = 0; b < Beam && found < k; b++)
                if (nodes[q * Beam + b] >= 0) found++;
            var list = new Recommendation[found];
            for (var b = 0; b < found; b++)
                list[b] = new Recommendation(trie.ItemAt(nodes[q * Beam + b]), scores[q * Beam + b]);
            // Sampling keeps beams in key order; results are reported best score first.
            if (temperature > 0) Array.Sort(list, (x, y) => y.Score.CompareTo(x.Score));
            results[q] = list;
        }
        return results;
    }

    /// <summary>Picks query q's best Beam continuations of its live rows into the next buffers (dead slots get node −1).</summary>
    private void Expand(int q, int perQuery, int step, int width, float temperature, Rng? rng)
    {
        var filled = 0;
        for (var b = 0; b < perQuery; b++)
        {
            var row = q * perQuery + b;
            var node = nodes[row];
            if (node < 0) continue;
            var allowed = trie.AllowedNext(node);
            var lp = logProbs.AsSpan(row * width, width);
            for (var i = 0; i < allowed.Length; i++)
            {
                var score = scores[row] + lp[allowed[i]];
                var key = temperature > 0 ? score / temperature + Gumbel(rng!) : score;
                if (filled == Beam && key <= candidateKey[filled - 1]) continue;
                var at = filled < Beam ? filled++ : filled - 1;
                while (at > 0 && candidateKey[at - 1] < key)
                {
                    candidateKey[at] = candidateKey[at - 1];
                    candidateScore[at] = candidateScore[at - 1];
                    candidateRow[at] = candidateRow[at - 1];
                    candidateNode[at] = candidateNode[at - 1];
                    candidateCode[at] = candidateCode[at - 1];
                    at--;
                }
                candidateKey[at] = key;
                candidateScore[at] = score;
                candidateRow[at] = row;
                candidateNode[at] = trie.Child(node, allowed[i]);
                candidateCode[at] = allowed[i];
            }
        }
        var length = trie.Length;
        for (var slot = 0; slot < Beam; slot++)
        {
            var target = q * Beam + slot;
            // A dead slot copies a live prefix so the scorer always sees valid codes.
            var source = slot < filled ? candidateRow[slot] : filled > 0 ? candidateRow[0] : q * perQuery;
            parents[target] = source;
            Array.Copy(prefixes, source * length, nextPrefixes, target * length, step);
            if (slot < filled)
            {
                nextPrefixes[target * length + step] = candidateCode[slot];
                nextNodes[target] = candidateNode[slot];
                nextScores[target] = candidateScore[slot];
            }
            else
            {
                nextPrefixes[target * length + step] = filled > 0 ? candidateCode[0] : 0;
                nextNodes[target] = -1;
                nextScores[target] = float.NegativeInfinity;
            }
        }
    }

    private static float Gumbel(Rng rng)
    {
        var u = Math.Max(rng.NextDouble(), 1e-12);
        return (float)-Math.Log(-Math.Log(u));
    }

    private void Reserve(int queries, int maxWidth)
    {
        var rows = queries * Beam;
        if (rows <= capacity && logProbs.Length >= rows * maxWidth) return;
        capacity = Math.Max(rows, capacity);
        var length = trie.Length;
        prefixes = new int[capacity * length];
        nextPrefixes = new int[capacity * length];
        parents = new int[capacity];
        compact = new int[capacity * length];
        nodes = new int[capacity];
        nextNodes = new int[capacity];
        scores = new float[capacity];
        nextScores = new float[capacity];
        logProbs = new float[capacity * maxWidth];
    }
}
