using System.Collections.Concurrent;
using Mender.Llm.Gguf;
using Mender.Llm.Tokenizers;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Tokenizers;

/// <summary>llama.cpp's tokenizer test vectors: every input of every vocabulary that is present must encode exactly.</summary>
public sealed class TokenizerVectorTests
{
    /// <summary>Vocabularies whose GGUF is present beside their .inp/.out pair (the others are listed in the README as absent).</summary>
    public static readonly string[] Vocabularies =
    [
        "bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2", "llama-spm", "mpt", "phi-3", "qwen2", "refact", "starcoder",
    ];

    private static readonly ConcurrentDictionary<string, Tokenizer> Cache = new();

    internal static Tokenizer Load(string name) => Cache.GetOrAdd(name, n =>
    {
        using var file = GgufFile.Open(SharedData.PathOf($"models/vocab/ggml-vocab-{n}.gguf"));
        return Tokenizer.FromGguf(file);
    });

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Vocabularies) data.Add(name);
        return data;
    }

    /// <summary>Inputs split as llama.cpp's test-tokenizer-0 does: on "\n__ggml_vocab_test__\n".</summary>
    internal static List<(string Input, int[] Expected)> ReadVectors(string name)
    {
        var raw = File.ReadAllText(SharedData.PathOf($"models/vocab/ggml-vocab-{name}.gguf.inp"));
        var expected = File.ReadAllLines(SharedData.PathOf($"models/vocab/ggml-vocab-{name}.gguf.out"));
        const string separator = "\n__ggml_vocab_test__\n";
        var inputs = new List<string>();
        for (var pos = 0; pos < raw.Length;)
        {
            var next = raw.IndexOf(separator, pos, StringComparison.Ordinal);
            if (next < 0)
            {
                inputs.Add(raw[pos..]);
                break;
            }
            inputs.Add(raw[pos..next]);
            pos = next + separator.Length;
        }
        Assert.Equal(inputs.Count, expected.Length);
        return inputs.Select((input, i) => (input, expected[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())).ToList();
    }

    [SharedTheory]
    [MemberData(nameof(Names))]
    public void EveryVectorEncodesExactly(string name)
    {
        var tokenizer = Load(name);
        var failures = new List<string>();
        foreach (var (input, expected) in ReadVectors(name))
        {
            var actual = tokenizer.Encode(input, addSpecial: false, parseSpecial: false);
            if (!actual.SequenceEqual(expected))
                failures.Add($"'{input}': expected [{string.Join(' ', expected)}] got [{string.Join(' ', actual)}]");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} vectors of {name} differ:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// Decoding the expected ids gives back the input where the tokenizer is lossless. Decoders that clean up spaces
    /// may change only spaces; WordPiece (which lower-cases, strips accents and maps unknown words to [UNK]) must give
    /// its pieces in order, again up to spaces.
    /// </summary>
    [SharedTheory]
    [MemberData(nameof(Names))]
    public void ExpectedIdsDecodeBackToTheInput(string name)
    {
        var tokenizer = Load(name);
        var vocabulary = tokenizer.Vocabulary;
        var wordPiece = vocabulary.Kind == TokenizerKind.WordPiece;
        var failures = new List<string>();
        foreach (var (input, expected) in ReadVectors(name))
        {
            var decoded = tokenizer.Decode(expected);
            var reference = wordPiece
                ? string.Concat(expected.Where(id => id != vocabulary.Unknown).Select(id => vocabulary.Tokens[id].TrimStart('\u2581')))
                : input;
            var ok = wordPiece || vocabulary.CleanSpaces
                ? WithoutSpaces(decoded) == WithoutSpaces(reference)
                : decoded == reference;
            if (!ok) failures.Add($"'{input}' decoded to '{decoded}'");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} vectors of {name} do not decode back:\n" + string.Join("\n", failures));
    }

    private static string WithoutSpaces(string s) => s.Replace(" ", "");
}
