using Mender.Llm.Inference;

namespace Mender.Llm.Generation;

/// <summary>
/// The tokens held in one sequence of a KV cache, so that a new prompt only evaluates what differs from them: the
/// sequence is cut back to the longest common prefix and the rest of the prompt is appended.
/// </summary>
internal sealed class PromptCache
{
    private readonly List<int> _tokens = [];

    /// <summary>Tokens the prompt shares with what the sequence holds.</summary>
    public int CommonPrefix(IReadOnlyList<int> prompt)
    {
        var n = 0;
        while (n < _tokens.Count && n < prompt.Count && _tokens[n] == prompt[n]) n++;
        return n;
    }

    /// <summary>Makes the sequence hold exactly <paramref name="prompt"/> and returns the logits after its last token.</summary>
    public ReadOnlySpan<float> Evaluate(InferenceSession session, int sequence, IReadOnlyList<int> prompt)
    {
        // At least the last prompt token is evaluated again, for its logits.
        var common = Math.Min(Math.Min(CommonPrefix(prompt), session.Position(sequence)), prompt.Count - 1);
        session.TruncateSequence(sequence, common);
        _tokens.RemoveRange(common, _tokens.Count - common);
        var rest = new int[prompt.Count - common];
        for (var i = 0; i < rest.Length; i++) rest[i] = prompt[common + i];
        try
        {
            var logits = session.Forward(rest, sequence);
            _tokens.AddRange(rest);
            return logits;
        }
        catch
        {
            session.TruncateSequence(sequence, common);
            throw;
        }
    }

    /// <summary>Records a token appended to the sequence after <see cref="Evaluate"/>.</summary>
    public void Appended(int token) => _tokens.Add(token);
}
