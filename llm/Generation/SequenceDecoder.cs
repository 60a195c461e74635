using System.Text;
using Mender.Llm.Sampling;
using Mender.Llm.Tokenizers;

namespace Mender.Llm.Generation;

/// <summary>
/// One generation in progress, independent of how the model is run: given the logits after the latest token it samples
/// the next one (within the constraint), turns its bytes into text (holding back incomplete UTF-8 characters and
/// possible stop strings) and decides whether generation goes on. <see cref="TextGenerator"/> drives one of these over a
/// single sequence; <see cref="BatchGenerator"/> drives several at once.
/// </summary>
internal sealed class SequenceDecoder
{
    private readonly Tokenizer _tokenizer;
    private readonly GenerationOptions _options;
    private readonly int _maxTokens;
    private readonly int _promptTokens;
    private readonly Sampler _sampler;
    private readonly ITokenConstraint? _constraint;
    private readonly ulong[]? _allowed;
    private readonly ulong[]? _tokenizerRange;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly StopStringFilter _stops;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _pending = new();
    private readonly List<int> _generated = [];
    private char[] _chars = new char[64];

    public SequenceDecoder(Tokenizer tokenizer, int vocabSize, IReadOnlyList<int> prompt, GenerationOptions options, int contextLength)
    {
        if (prompt.Count == 0) throw new ArgumentException("the prompt has no tokens", nameof(prompt));
        if (prompt.Count >= contextLength)
            throw new ArgumentException($"the prompt of {prompt.Count} tokens does not fit the context of {contextLength} tokens");
        if (options.MaxTokens < 1) throw new ArgumentException($"max tokens must be at least 1, got {options.MaxTokens}");
        _tokenizer = tokenizer;
        _options = options;
        _promptTokens = prompt.Count;
        _maxTokens = Math.Min(options.MaxTokens, contextLength - prompt.Count);
        _constraint = options.Constraint;
        if (_constraint is JsonSchemaConstraint json && json.Remaining > _maxTokens)
            throw new ArgumentException($"the JSON schema needs at least {json.Remaining} tokens, but only {_maxTokens} may be generated");
        _sampler = new Sampler(vocabSize, options.Sampling);
        for (var i = Math.Max(0, prompt.Count - options.Sampling.PenaltyWindow); i < prompt.Count; i++)
            _sampler.Accept(prompt[i]);
        _stops = new StopStringFilter(options.StopStrings);
        if (_constraint is not null || tokenizer.VocabularySize < vocabSize)
            _allowed = new ulong[(vocabSize + 63) / 64];
        if (_constraint is null && _allowed is not null)
        {
            // The model has more output rows than the tokenizer has tokens: never pick a row that is no token.
            _tokenizerRange = new ulong[_allowed.Length];
            for (var id = 0; id < tokenizer.VocabularySize; id++) _tokenizerRange[id >> 6] |= 1UL << id;
        }
    }

    public bool IsFinished { get; private set; }

    public FinishReason FinishReason { get; private set; } = FinishReason.Length;

    /// <summary>
    /// Samples and consumes the next token from <paramref name="logits"/>. Returns the token to evaluate next, or -1
    /// when generation has ended (then <see cref="Result"/> is final).
    /// </summary>
    public int Step(ReadOnlySpan<float> logits)
    {
        if (IsFinished) return -1;
        if (_constraint is { IsDone: true }) return Finish(FinishReason.Stop);

        int token;
        if (_constraint is not null)
        {
            _constraint.AllowedTokens(_maxTokens - _generated.Count, _allowed);
            token = _sampler.Sample(logits, _allowed);
        }
        else if (_tokenizerRange is not null)
            token = _sampler.Sample(logits, _tokenizerRange);
        else
            token = _sampler.Sample(logits);

        if (_options.StopAtEndOfGeneration && _tokenizer.IsEndOfGeneration(token))
            return Finish(FinishReason.Stop);
        _generated.Add(token);
        _sampler.Accept(token);
        _constraint?.Accept(token);

        var bytes = _tokenizer.TokenBytes(token);
        if (bytes.Length > 0)
        {
            if (_chars.Length < bytes.Length + 4) _chars = new char[bytes.Length * 2 + 4];
            var n = _decoder.GetChars(bytes, _chars, flush: false);
            Release(_stops.Push(new string(_chars, 0, n)));
            if (_stops.Stopped) return Finish(FinishReason.Stop);
        }
        if (_constraint is { IsDone: true }) return Finish(FinishReason.Stop);
        if (_generated.Count >= _maxTokens) return Finish(FinishReason.Length);
        return token;
    }

    /// <summary>Ends generation at the caller's request.</summary>
    public void Cancel()
    {
        if (!IsFinished) Finish(FinishReason.Cancelled);
    }

    /// <summary>Text that became final since the last call.</summary>
    public string TakeText()
    {
        var text = _pending.ToString();
        _pending.Clear();
        return text;
    }

    public GenerationResult Result => new(_output.ToString(), _generated.ToArray(), _promptTokens, FinishReason);

    private int Finish(FinishReason reason)
    {
        IsFinished = true;
        FinishReason = reason;
        var n = _decoder.GetChars([], _chars, flush: true);
        Release(_stops.Push(new string(_chars, 0, n)) + _stops.Flush());
        return -1;
    }

    private void Release(string text)
    {
        _output.Append(text);
        _pending.Append(text);
    }
}
