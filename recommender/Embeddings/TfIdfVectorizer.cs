namespace Mender.Recommender.Embeddings;

/// <summary>
/// TF-IDF over hashed word and character n-grams (<see cref="NgramFeatures"/>), fitted on a corpus. A document's weight
/// for a feature is (1 + ln tf) · ln((1 + n) / (1 + df)) — sublinear term frequency, and an idf that is zero for a
/// feature every document has. The word block and the character block are each L2-normalized and then scaled so that
/// their squared norms are <c>WordWeight</c> and <c>1 - WordWeight</c>; without that, the many character n-grams of a
/// title would outvote its few words.
/// </summary>
internal sealed class TfIdfVectorizer
{
    private readonly Dictionary<ulong, int> columns;
    private readonly float[] idf;
    private readonly bool[] isWord;
    private readonly LexicalEmbedderOptions options;

    private TfIdfVectorizer(Dictionary<ulong, int> columns, float[] idf, bool[] isWord, LexicalEmbedderOptions options)
    {
        this.columns = columns;
        this.idf = idf;
        this.isWord = isWord;
        this.options = options;
    }

    public int Features => this.idf.Length;

    /// <summary>Learns the vocabulary and idf from <paramref name="corpus"/> and returns it with the corpus' TF-IDF matrix.</summary>
    public static (TfIdfVectorizer Vectorizer, SparseMatrix Matrix) Fit(
        IReadOnlyList<string> corpus, LexicalEmbedderOptions options, CancellationToken cancellation)
    {
        var n = corpus.Count;
        var documents = new (ulong[] Keys, int[] Counts, bool[] IsWord)[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellation }, () => new Scratch(),
            (i, _, scratch) =>
            {
                documents[i] = scratch.Count(corpus[i], options);
                return scratch;
            }, _ => { });

        var df = new Dictionary<ulong, (int Count, bool IsWord)>();
        foreach (var doc in documents)
            for (var k = 0; k < doc.Keys.Length; k++)
            {
                ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(df, doc.Keys[k], out _);
                entry = (entry.Count + 1, doc.IsWord[k]);
            }
        cancellation.ThrowIfCancellationRequested();

        var kept = df.Where(kv => kv.Value.Count >= options.MinDocumentFrequency && kv.Value.Count < n)
            .Select(kv => kv.Key).ToArray();
        Array.Sort(kept);
        var columns = new Dictionary<ulong, int>(kept.Length);
        var idf = new float[kept.Length];
        var isWord = new bool[kept.Length];
        for (var c = 0; c < kept.Length; c++)
        {
            columns[kept[c]] = c;
            var (count, word) = df[kept[c]];
            idf[c] = (float)Math.Log((1.0 + n) / (1.0 + count));
            isWord[c] = word;
        }
        var vectorizer = new TfIdfVectorizer(columns, idf, isWord, options);
        var rows = new (int[] Columns, float[] Values)[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellation },
            i => rows[i] = vectorizer.Weigh(documents[i].Keys, documents[i].Counts));
        return (vectorizer, SparseMatrix.FromRows(kept.Length, rows));
    }

    /// <summary>The TF-IDF vector of one document: ascending columns and their weights; features outside the vocabulary are ignored.</summary>
    public (int[] Columns, float[] Values) Transform(string text)
    {
        var (keys, counts, _) = new Scratch().Count(text, this.options);
        return Weigh(keys, counts);
    }

    private (int[] Columns, float[] Values) Weigh(ulong[] keys, int[] counts)
    {
        var entries = new List<(int Column, float Weight)>(keys.Length);
        double wordNorm = 0, charNorm = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            if (!this.columns.TryGetValue(keys[k], out var column)) continue;
            var weight = (float)((1.0 + Math.Log(counts[k])) * this.idf[column]);
            if (this.isWord[column]) wordNorm += weight * (double)weight;
            else charNorm += weight * (double)weight;
            entries.Add((column, weight));
        }
        // When a document has only one of the two blocks, that block alone carries the unit norm.
        var wordShare = charNorm == 0 ? 1.0 : wordNorm == 0 ? 0.0 : this.options.WordWeight;
        var wordScale = wordNorm > 0 ? Math.Sqrt(wordShare / wordNorm) : 0;
        var charScale = charNorm > 0 ? Math.Sqrt((1 - wordShare) / charNorm) : 0;
        entries.Sort((a, b) => a.Column.CompareTo(b.Column));
        var columns = new int[entries.Count];
        var values = new float[entries.Count];
        for (var e = 0; e < entries.Count; e++)
        {
            columns[e] = entries[e].Column;
            values[e] = (float)(entries[e].Weight * (this.isWord[entries[e].Column] ? wordScale : charScale));
        }
        return (columns, values);
    }

    /// <summary>Per-thread buffers for counting a document's distinct features.</summary>
    private sealed class Scratch
    {
        private readonly List<ulong> words = new(256);
        private readonly List<ulong> chars = new(1024);

        public (ulong[] Keys, int[] Counts, bool[] IsWord) Count(string text, LexicalEmbedderOptions options)
        {
            this.words.Clear();
            chars.Clear();
            NgramFeatures.Extract(text, options.MinCharGram, options.MaxCharGram, this.words, chars);
            var all = new ulong[this.words.Count + chars.Count];
            var word = new bool[all.Length];
            this.words.CopyTo(all);
            chars.CopyTo(all, this.words.Count);
            word.AsSpan(0, this.words.Count).Fill(true);
            Array.Sort(all, word);
            var distinct = 0;
            var counts = new int[all.Length];
            for (var i = 0; i < all.Length; i++)
            {
                if (distinct > 0 && all[distinct - 1] == all[i])
                {
                    counts[distinct - 1]++;
                    continue;
                }
                all[distinct] = all[i];
                word[distinct] = word[i];
                counts[distinct] = 1;
                distinct++;
            }
            return (all[..distinct], counts[..distinct], word[..distinct]);
        }
    }
}
