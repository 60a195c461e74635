namespace Mender.Llm.Sampling;

/// <summary>
/// Forces generated text to be JSON conforming to a schema (<see cref="JsonSchemaNode"/>). A token is allowed when its
/// bytes continue a conforming text and the shortest completion afterwards still fits in the remaining token budget
/// (every completion byte has a single-byte token, so a budget of n tokens always suffices for n bytes). So even a
/// model with random weights ends with parseable, conforming JSON.
/// </summary>
internal sealed class JsonSchemaConstraint : ITokenConstraint
{
    private readonly TokenByteTable _tokens;
    private readonly JsonGrammarState _state;
    private readonly JsonGrammarState _probe;
    private readonly JsonGrammarState _pair;
    private readonly JsonGrammarState _trial;

    public JsonSchemaConstraint(JsonSchemaNode schema, TokenByteTable tokens)
    {
        _tokens = tokens;
        _state = new JsonGrammarState(schema);
        _probe = _state.Clone();
        _pair = _state.Clone();
        _trial = _state.Clone();
    }

    public bool IsDone => _state.IsDone;

    public bool IsComplete => _state.IsComplete;

    /// <summary>Bytes still needed at least to finish the JSON text.</summary>
    public int Remaining => _state.Remaining;

    public void AllowedTokens(int remainingTokens, Span<ulong> allowed)
    {
        if (allowed.Length * 64 < _tokens.VocabularySize)
            throw new ArgumentException("allowed-token set is smaller than the vocabulary", nameof(allowed));
        allowed.Clear();
        if (_state.IsComplete)
            foreach (var id in _tokens.EndOfGeneration)
                allowed[id >> 6] |= 1UL << id;
        if (_state.IsDone) return;

        // After this token, remainingTokens - 1 tokens must be able to finish the text.
        var budget = remainingTokens - 1;
        var current = _state.Remaining;
        var inPlainString = _state.IsInPlainString && current <= budget;
        if (inPlainString)
        {
            // Plain text inside a string never lengthens the shortest completion: allow it wholesale.
            var plain = _tokens.PlainString;
            for (var w = 0; w < plain.Length; w++) allowed[w] |= plain[w];
        }
        var groups = inPlainString ? _tokens.NotPlainString : _tokens.All;
        for (var first = 0; first < 256; first++)
        {
            var single = groups.Single[first];
            var pairs = groups.Pair[first];
            if (single is null && pairs is null) continue;
            _probe.CopyFrom(_state);
            if (!_probe.Feed((byte)first)) continue;
            if (single is not null)
                foreach (var id in single)
                    if (_probe.Remaining <= budget) allowed[id >> 6] |= 1UL << id;
            if (pairs is null) continue;
            for (var second = 0; second < 256; second++)
            {
                var group = pairs[second];
                if (group is null) continue;
                _pair.CopyFrom(_probe);
                if (!_pair.Feed((byte)second)) continue;
                foreach (var id in group)
                    if (Fits(id, budget)) allowed[id >> 6] |= 1UL << id;
            }
        }
    }

    /// <summary>Whether a token (whose first two bytes <see cref="_pair"/> has read) fits; <see cref="_pair"/> is left intact.</summary>
    private bool Fits(int id, int budget)
    {
        var bytes = _tokens.Bytes[id];
        if (bytes.Length == 2) return _pair.Remaining <= budget;
        _trial.CopyFrom(_pair);
        return _trial.Feed(bytes.AsSpan(2)) && _trial.Remaining <= budget;
    }

    public void Accept(int token)
    {
        if (_tokens.EndOfGeneration.Contains(token) && _state.IsComplete) return;
        var bytes = (uint)token < (uint)_tokens.Bytes.Length ? _tokens.Bytes[token] : [];
        if (bytes.Length == 0 || !_state.Feed(bytes))
            throw new InvalidOperationException($"token {token} does not continue the constrained JSON text");
    }
}
