using System.Text;
using Mender.Llm.Inference;
using Mender.Llm.Tokenizers;

namespace Mender.Llm.Generation;

/// <summary>
/// The generation loop over one sequence of an <see cref="InferenceSession"/>: evaluate the prompt, then let a
/// <see cref="SequenceDecoder"/> pick each token and feed it back. The KV cache is kept between calls, so a prompt that
/// extends the previous one (a conversation, a shared system prompt) only evaluates the new tokens.
/// </summary>
internal sealed class TextGenerator
{
    private readonly InferenceSession _session;
    private readonly Tokenizer _tokenizer;
    private readonly int _sequence;
    private readonly PromptCache _cache = new();
    private readonly int[] _one = new int[1];

    /// <summary>The latest logits, copied out of the session so that they survive across yields.</summary>
    private readonly float[] _logits;

    public TextGenerator(InferenceSession session, Tokenizer tokenizer, int sequence = 0)
    {
        if (tokenizer.VocabularySize > session.VocabSize)
            throw new ArgumentException(
                $"the tokenizer has {tokenizer.VocabularySize} tokens but the model only {session.VocabSize}", nameof(tokenizer));
        _session = session;
        _tokenizer = tokenizer;
        _sequence = sequence;
        _logits = new float[session.VocabSize];
        session.ResetSequence(sequence);
    }

    /// <summary>Generates to the end and returns the whole text.</summary>
    public GenerationResult Generate(IReadOnlyList<int> prompt, GenerationOptions options, CancellationToken cancellation = default)
    {
        GenerationResult? result = null;
        foreach (var _ in Stream(prompt, options, r => result = r, cancellation))
        {
        }
        return result!;
    }

    /// <summary>
    /// Generates, yielding text as it becomes final. When the enumeration ends, <paramref name="finished"/> receives
    /// the result (its Text is the whole output).
    /// </summary>
    public IEnumerable<string> Stream(IReadOnlyList<int> prompt, GenerationOptions options, Action<GenerationResult> finished,
        CancellationToken cancellation = default)
    {
        var decoder = new SequenceDecoder(_tokenizer, _session.VocabSize, prompt, options, _session.ContextLength);
        _cache.Evaluate(_session, _sequence, prompt).CopyTo(_logits);
        while (true)
        {
            if (cancellation.IsCancellationRequested) decoder.Cancel();
            var token = decoder.Step(_logits);
            var text = decoder.TakeText();
            if (text.Length > 0) yield return text;
            if (token < 0) break;
            _one[0] = token;
            _session.Forward(_one, _sequence).CopyTo(_logits);
            _cache.Appended(token);
        }
        finished(decoder.Result);
    }
}
