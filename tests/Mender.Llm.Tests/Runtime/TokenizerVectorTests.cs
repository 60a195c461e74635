using System.Collections.Concurrent;
using Mender.Llm.Runtime;

namespace Mender.Llm.Tests.Runtime;

/// <summary>llama.cpp's tokenizer test vectors through our layer: every input of every vocabulary present encodes exactly.</summary>
public sealed class TokenizerVectorTests
{
    /// <summary>Vocabularies whose GGUF is present beside their .inp/.out pair (the others are listed in the README as absent).</summary>
    public static readonly string[] Vocabularies =
    [
        "bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2", "llama-spm", "mpt", "phi-3", "qwen2", "refact", "starcoder",
    ];

    private static readonly ConcurrentDictionary<string, LlmModel> Cache = new();

    internal static LlmModel Load(string name) =>
        Cache.GetOrAdd(name, n => LlmModel.LoadVocabulary(SharedData.PathOf($"models/vocab/ggml-vocab-{n}.gguf")));

    public static TheoryData<string> Names() => new(Vocabularies);

    /// <summary>Inputs split as llama.cpp's test-tokenizer-0 does: on "\n__ggml_vocab_test__\n".</summary>
    private static List<(string Input, int[] Expected)> ReadVectors(string name)
    {
        var raw = File.ReadAllText(SharedData.PathOf($"models/vocab/ggml-vocab-{name}.gguf.inp"));
        var expected = File.ReadAllLines(SharedData.PathOf($"models/vocab/ggml-vocab-{name}.gguf.out"));
        var inputs = raw.Split("\n__ggml_vocab_test__\n").ToList();
        if (inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
        Assert.Equal(inputs.Count, expected.Length);
        return inputs.Select((input, i) => (input, expected[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())).ToList();
    }

    [SharedTheory]
    [MemberData(nameof(Names))]
    public void EveryVectorEncodesExactly(string name)
    {
        var model = Load(name);
        var failures = new List<string>();
        var vectors = ReadVectors(name);
        foreach (var (input, expected) in vectors)
        {
            var actual = model.Tokenize(input, addSpecial: false, parseSpecial: false);
            if (!actual.SequenceEqual(expected))
                failures.Add($"'{input}': expected [{string.Join(' ', expected)}] got [{string.Join(' ', actual)}]");
        }
        Assert.True(vectors.Count > 10, $"{name}: only {vectors.Count} vectors");
        Assert.True(failures.Count == 0, $"{failures.Count} vectors of {name} differ:\n" + string.Join("\n", failures));
    }
}
