using System.Numerics.Tensors;
using LLama.Native;
using Mender.Llm.Runtime;

namespace Mender.Llm.Generation;

/// <summary>
/// Draws one sequence's next tokens with llama.cpp's native samplers: penalties, then top-k, top-p, min-p and
/// temperature with a seeded draw (or the most likely token when greedy). A grammar, when given, is checked the way
/// llama.cpp's own sampler does it: the token drawn without it is kept if the grammar accepts it, and only otherwise is
/// the draw repeated over the tokens the grammar allows, so a grammar costs little while the model follows it. That
/// repeated draw applies the grammar only to the tokens whose first byte it allows (<see cref="FirstByteIndex"/>).
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle chain;
    private readonly SafeLLamaSamplerChainHandle? grammar;
    private readonly LLamaTokenData[] candidates;
    private readonly LLamaTokenData[] single = new LLamaTokenData[1];
    private readonly bool greedyOnly;
    private readonly FirstByteIndex? firstBytes;

    public TokenSampler(LlmModel model, SamplingOptions options, string? grammar)
    {
        options.Validate();
        candidates = new LLamaTokenData[model.VocabularySize];
        greedyOnly = options.IsGreedy && options.RepetitionPenalty == 1f && options.FrequencyPenalty == 0f && options.PresencePenalty == 0f;
        chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        try
        {
            if (options.RepetitionPenalty != 1f || options.FrequencyPenalty != 0f || options.PresencePenalty != 0f)
                chain.AddPenalties(options.PenaltyWindow, options.RepetitionPenalty, options.FrequencyPenalty, options.PresencePenalty);
            if (options.IsGreedy)
            {
                chain.AddGreedySampler();
            }
            else
            {
                if (options.TopK > 0) chain.AddTopK(options.TopK);
                if (options.TopP < 1f) chain.AddTopP(options.TopP, 1);
                if (options.MinP > 0f) chain.AddMinP(options.MinP, 1);
                chain.AddTemperature(options.Temperature);
                chain.AddDistributionSampler(unchecked((uint)(options.Seed ?? (ulong)Random.Shared.NextInt64())));
            }
            if (grammar is not null)
            {
                this.grammar = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
                this.grammar.AddGrammar(model.Weights.Vocab, grammar, "root");
                firstBytes = FirstByteIndex.Of(model);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Draws the next token from one position's logits and records it (for penalties and the grammar).</summary>
    public int Sample(ReadOnlySpan<float> logits)
    {
        var token = greedyOnly ? TensorPrimitives.IndexOfMax(logits) : Draw(logits, withGrammar: false);
        if (this.grammar is not null && !GrammarAccepts(token, logits[token])) token = Draw(logits, withGrammar: true);
        chain.Accept(token);
        this.grammar?.Accept(token);
        return token;
    }

    /// <summary>
    /// Runs the chain over the whole vocabulary, or under the grammar over the tokens whose first byte it allows: the
    /// others would be refused, and a refused token has no chance in any of the samplers.
    /// </summary>
    private int Draw(ReadOnlySpan<float> logits, bool withGrammar)
    {
        int count;
        if (withGrammar)
        {
            count = firstBytes!.Candidates(this.grammar!, logits, candidates);
            if (count == 0) throw new InvalidOperationException("no token is allowed here: the grammar refuses every token");
        }
        else
        {
            for (var i = 0; i < candidates.Length; i++) candidates[i] = new LLamaTokenData(i, logits[i], 0f);
            count = candidates.Length;
        }
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates.AsMemory(0, count)), out var native))
        {
            if (withGrammar) this.grammar!.Apply(ref native);
            chain.Apply(ref native);
            if (native.Selected < 0 || float.IsNegativeInfinity(native.Data[(int)native.Selected].Logit))
                throw new InvalidOperationException("no token is allowed here: the grammar and the sampler left nothing to choose");
            return (int)native.Data[(int)native.Selected].ID;
        }
    }

    private bool GrammarAccepts(int token, float logit)
    {
        single[0] = new LLamaTokenData(token, logit, 0f);
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(single), out var native))
        {
            this.grammar!.Apply(ref native);
            return !float.IsNegativeInfinity(native.Data[0].Logit);
        }
    }

    public void Dispose()
    {
        chain.Dispose();
        this.grammar?.Dispose();
    }
}
