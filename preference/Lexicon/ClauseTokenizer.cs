namespace Mender.Preference.Lexicon;

/// <summary>
/// Splits review text into clauses of lower-case word tokens. A clause ends at sentence punctuation and before a
/// contrast word ("but", "however", ...), because "I love the scent but it is too greasy" holds two opinions that
/// must not share one sentiment. Hyphens split words ("fragrance-free" → "fragrance free") so that patterns need one
/// spelling; apostrophes stay inside words ("doesn't").
/// </summary>
internal static class ClauseTokenizer
{
    private static readonly HashSet<string> Contrast = new(StringComparer.Ordinal)
    {
        "but", "however", "although", "though", "except", "whereas", "unfortunately", "sadly",
    };

    public static List<string[]> Clauses(string? text)
    {
        var clauses = new List<string[]>();
        if (string.IsNullOrWhiteSpace(text)) return clauses;
        var current = new List<string>();
        var word = new System.Text.StringBuilder();

        void EndWord()
        {
            if (word.Length == 0) return;
            var token = word.ToString().Trim('\'');
            word.Clear();
            if (token.Length == 0) return;
            if (Contrast.Contains(token)) EndClause();
            current.Add(token);
        }

        void EndClause()
        {
            if (current.Count > 0) clauses.Add([.. current]);
            current.Clear();
        }

        foreach (var raw in text)
        {
            var c = raw is '\u2019' or '\u2018' or '`' ? '\'' : char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c) || c == '\'')
            {
                word.Append(c);
                continue;
            }
            EndWord();
            if (c is '.' or '!' or '?' or ';' or ':' or '\n' or '(' or ')')
                EndClause();
            else if (c == '$')
                current.Add("$");
        }
        EndWord();
        EndClause();
        return clauses;
    }
}
