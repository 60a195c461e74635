using LLama.Native;
using Mender.Llm.Runtime;

namespace Mender.Llm.Generation;

/// <summary>
/// Draws one sequence's next tokens with llama.cpp's native samplers: penalties, then top-k, top-p, min-p and
/// temperature with a seeded draw (or the most likely token when greedy). A grammar, when given, is checked the way
/// llama.cpp's own sampler does it: the token drawn without it is kept if the grammar accepts it, and only otherwise is
/// the grammar applied to the whole vocabulary and the draw repeated, so a grammar costs little while the model follows it.
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle chain;
    private readonly SafeLLamaSamplerChainHandle? grammar;
    private readonly LLamaTokenData[] candidates;
    private readonly LLamaTokenData[] single = new LLamaTokenData[1];
    private readonly float[] scratch;
    private readonly bool greedyOnly;

    public TokenSampler(LlmModel model, SamplingOptions options, string? grammar)
    {
        options.Validate();
        candidates = new LLamaTokenData[model.VocabularySize];
        scratch = new float[model.VocabularySize];
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
        var token = this.grammar is not null && greedyOnly ? MostLikelyAllowed(logits) : Draw(logits, withGrammar: false);
        if (this.grammar is not null && !GrammarAccepts(token, logits[token]))
            token = Draw(logits, withGrammar: true);
        chain.Accept(token);
        this.grammar?.Accept(token);
        return token;
    }

    /// <summary>
    /// Greedy decoding under a grammar takes the most likely token the grammar allows. Checking the likeliest few one by
    /// one finds it without applying the grammar to the whole vocabulary (which takes tens of milliseconds on a large
    /// one); when none of them is allowed, the most likely token is returned for the caller's full check.
    /// </summary>
    private int MostLikelyAllowed(ReadOnlySpan<float> logits)
    {
        logits.CopyTo(scratch);
        for (var tries = 0; tries < GreedyGrammarTries; tries++)
        {
            var token = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(scratch);
            if (GrammarAccepts(token, logits[token])) return token;
            scratch[token] = float.NegativeInfinity;
        }
        return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
    }

    /// <summary>How many of the likeliest tokens greedy decoding checks one by one before it applies the grammar to all.</summary>
    private const int GreedyGrammarTries = 64;

    private int Draw(ReadOnlySpan<float> logits, bool withGrammar)
    {
        for (var i = 0; i < candidates.Length; i++) candidates[i] = new LLamaTokenData(i, logits[i], 0f);
        var array = new LLamaTokenDataArray(candidates);
        using (LLamaTokenDataArrayNative.Create(array, out var native))
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
