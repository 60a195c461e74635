using LLama.Native;
using Mender.Llm.Runtime;

namespace Mender.Llm.Generation;

/// <summary>
/// Draws one sequence's next tokens with llama.cpp's native samplers: penalties, then top-k, top-p, min-p and
/// temperature with a seeded draw (or the most likely token when greedy). A grammar, when given, is checked the way
/// llama.cpp's own sampler does it: the token drawn without it is kept if the grammar accepts it, and only otherwise is
/// the grammar applied to the whole vocabulary and the draw repeated, so a grammar costs little while the model follows it.
/// Greedy decoding widens the check step by step over the likeliest tokens instead (see <see cref="MostLikelyAllowed"/>).
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
        int token;
        if (this.grammar is null)
        {
            token = Draw(logits, withGrammar: false);
        }
        else if (greedyOnly)
        {
            token = MostLikelyAllowed(logits) ?? Draw(logits, withGrammar: true);
        }
        else
        {
            token = Draw(logits, withGrammar: false);
            if (!GrammarAccepts(token, logits[token])) token = Draw(logits, withGrammar: true);
        }
        chain.Accept(token);
        this.grammar?.Accept(token);
        return token;
    }

    /// <summary>
    /// Greedy decoding under a grammar takes the most likely token the grammar allows. It is among the likeliest few
    /// whenever the model follows the grammar, so the grammar is applied to the likeliest 1, 32, 1024 and 32768 tokens
    /// (one native call each) before it is applied to the whole vocabulary, which takes tens of milliseconds on a large
    /// one. Null when none of those is allowed.
    /// </summary>
    private int? MostLikelyAllowed(ReadOnlySpan<float> logits)
    {
        foreach (var width in GreedyWidths)
        {
            if (width >= logits.Length) return null;
            var count = TopLogits.Select(logits, width, scratch, candidates);
            using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates.AsMemory(0, count)), out var native))
            {
                this.grammar!.Apply(ref native);
                var best = -1;
                for (var i = 0; i < count; i++)
                {
                    var logit = native.Data[i].Logit;
                    if (!float.IsNegativeInfinity(logit) && (best < 0 || logit > native.Data[best].Logit)) best = i;
                }
                if (best >= 0) return (int)native.Data[best].ID;
            }
        }
        return null;
    }

    private static readonly int[] GreedyWidths = [1, 32, 1024, 32768];

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
