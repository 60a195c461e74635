using System.Text.Json;
using LLama.Native;
using Mender.Llm.Constraints;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;
using Mender.Llm.Tests.Adapters;
using Mender.Llm.Tests.Constraints;

namespace Mender.Llm.Tests.Generation;

public sealed class TokenSamplerTests(RandomQwenFixture randomQwen) : IClassFixture<RandomQwenFixture>
{
    /// <summary>
    /// Greedy decoding under a grammar looks at the likeliest tokens first; on random logits (where the allowed token is
    /// rarely among them) it must still pick exactly what applying the grammar to the whole vocabulary picks.
    /// </summary>
    [SharedFact]
    public void GreedyUnderAGrammarPicksWhatTheWholeVocabularyCheckPicks()
    {
        using var model = LlmModel.Load(randomQwen.Path, new LlmModelOptions { Threads = 2 });
        var grammar = JsonSchemaGrammar.FromSchema(JsonDocument.Parse(JsonSchemaGrammarTests.PreferencesSchema).RootElement);
        using var sampler = new TokenSampler(model, SamplingOptions.Greedy, grammar);
        using var reference = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        reference.AddGrammar(model.Weights.Vocab, grammar, "root");
        var random = new Random(5);
        var logits = new float[model.VocabularySize];
        var candidates = new LLamaTokenData[logits.Length];

        for (var step = 0; step < 60; step++)
        {
            for (var i = 0; i < logits.Length; i++) logits[i] = (float)(random.NextDouble() * 10);
            var chosen = sampler.Sample(logits);

            for (var i = 0; i < logits.Length; i++) candidates[i] = new LLamaTokenData(i, logits[i], 0f);
            int expected;
            using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates), out var native))
            {
                reference.Apply(ref native);
                expected = Enumerable.Range(0, logits.Length).Where(i => !float.IsNegativeInfinity(native.Data[i].Logit))
                    .MaxBy(i => native.Data[i].Logit);
            }
            Assert.Equal(expected, chosen);
            reference.Accept(expected);
            if (model.IsEndOfGeneration(chosen)) break;
        }
    }
}
