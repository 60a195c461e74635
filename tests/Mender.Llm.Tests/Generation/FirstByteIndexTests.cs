using System.Text.Json;
using LLama.Native;
using Mender.Llm.Constraints;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;
using Mender.Llm.Tests.Adapters;
using Mender.Llm.Tests.Constraints;
using Mender.TestSupport;

namespace Mender.Llm.Tests.Generation;

public sealed class FirstByteIndexTests(RandomQwenFixture randomQwen) : IClassFixture<RandomQwenFixture>
{
    /// <summary>
    /// Along a whole constrained JSON document, every token the grammar allows over the whole vocabulary is among the
    /// index's candidates, and at the places where only a few characters may come next the candidates are few. Run on
    /// a byte-level BPE vocabulary (Qwen) and on a SentencePiece one with byte tokens (stories260K).
    /// </summary>
    [SharedTheory]
    [InlineData("qwen")]
    [InlineData("stories260K")]
    public void CandidatesHoldEveryTokenTheGrammarAllows(string vocabulary)
    {
        var path = vocabulary == "qwen" ? randomQwen.Path : SharedData.PathOf("models/tiny/stories260K.gguf");
        using var model = LlmModel.Load(path, new LlmModelOptions { Threads = 1 });
        var index = FirstByteIndex.Of(model);
        using var grammar = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        grammar.AddGrammar(model.Weights.Vocab, JsonSchemaGrammar.FromSchema(JsonDocument.Parse(JsonSchemaGrammarTests.PreferencesSchema).RootElement), "root");
        var random = new Random(3);
        var logits = new float[model.VocabularySize];
        var all = new LLamaTokenData[logits.Length];
        var candidates = new LLamaTokenData[logits.Length];
        var narrowSteps = 0;

        for (var step = 0; step < 80; step++)
        {
            for (var i = 0; i < logits.Length; i++) logits[i] = (float)random.NextDouble();
            var count = index.Candidates(grammar, logits, candidates);
            var offered = candidates.Take(count).Select(c => (int)c.ID).ToHashSet();
            Assert.All(candidates.Take(count), c => Assert.Equal(logits[(int)c.ID], c.Logit));

            for (var i = 0; i < logits.Length; i++) all[i] = new LLamaTokenData(i, logits[i], 0f);
            int[] allowed;
            using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(all), out var native))
            {
                grammar.Apply(ref native);
                allowed = Enumerable.Range(0, logits.Length).Where(i => !float.IsNegativeInfinity(native.Data[i].Logit)).ToArray();
            }
            Assert.NotEmpty(allowed);
            Assert.All(allowed, token => Assert.Contains(token, offered));
            if (count < logits.Length / 4) narrowSteps++;

            var next = allowed[random.Next(allowed.Length)];
            if (model.IsEndOfGeneration(next)) break;
            grammar.Accept(next);
        }
        Assert.True(narrowSteps > 0, "the index never narrowed the vocabulary to a quarter");
    }
}
