namespace Mender.Llm.Generation;

/// <summary>
/// How the next token is drawn from the logits. Penalties apply first, then top-k, top-p and min-p narrow the
/// candidates (on the untempered distribution, as llama.cpp orders them), then temperature reshapes what is left.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>0 picks the most likely token (greedy decoding).</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Keep the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Keep the most likely tokens whose probabilities add up to at least p; 1 keeps all.</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Drop tokens less likely than min-p times the most likely one; 0 keeps all.</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Divides positive (multiplies negative) logits of recently seen tokens; 1 is off.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>Subtracted from a recent token's logit once per occurrence.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Subtracted from a recent token's logit once if it occurred at all.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>How many of the latest tokens the penalties look at.</summary>
    public int PenaltyWindow { get; init; } = 64;

    /// <summary>Seed of the random draw; the same seed and logits give the same tokens. Null draws a seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Always picks the most likely token, so the output is deterministic.</summary>
    public static SamplingOptions Greedy { get; } = new() { Temperature = 0, TopK = 0, TopP = 1, MinP = 0 };

    /// <summary>True when sampling picks the most likely token and ignores the other settings.</summary>
    public bool IsGreedy => Temperature <= 0;


    /// <summary>Throws when a setting is out of range, before any generation starts.</summary>
    public void Validate()
    {
        if (!(Temperature >= 0) || float.IsInfinity(Temperature)) throw new ArgumentException($"temperature {Temperature} is not a number of 0 or more (0 is greedy)");
        if (TopK < 0) throw new ArgumentException($"top-k {TopK} is negative");
        if (!(TopP is > 0 and <= 1)) throw new ArgumentException($"top-p {TopP} is not in (0, 1]");
        if (!(MinP is >= 0 and < 1)) throw new ArgumentException($"min-p {MinP} is not in [0, 1)");
        if (!(RepetitionPenalty > 0)) throw new ArgumentException($"repetition penalty {RepetitionPenalty} must be positive");
        if (PenaltyWindow < 0) throw new ArgumentException($"penalty window {PenaltyWindow} is negative");
        if (!(FrequencyPenalty is >= -2 and <= 2)) throw new ArgumentException($"frequency penalty {FrequencyPenalty} is not in [-2, 2]");
        if (!(PresencePenalty is >= -2 and <= 2)) throw new ArgumentException($"presence penalty {PresencePenalty} is not in [-2, 2]");
    }
}
