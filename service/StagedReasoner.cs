namespace Mender.Service;

/// <summary>What the reasoner thought and the preference it settled on.</summary>
internal sealed record ReasonedPreference(string Thought, string? Preference, bool FellBack, int PromptTokens, int CompletionTokens);

/// <summary>
/// GREAM-style staged reasoning, driven step by step so that any model, even a random or tiny one, yields the format:
/// the reasoner writes <c>&lt;think&gt;</c> and each stage header (evidence from the history and reviews, latent
/// preferences, current intent), lets the model write that stage's line (until a newline, <c>&lt;/think&gt;</c> or the
/// stage's token cap), closes the thought and asks for one preference line. The whole thought has a token cap. A
/// preference that comes out empty (or without a letter) is replaced by the typed one, and the result says so.
/// </summary>
internal sealed class StagedReasoner(IThoughtModel model, ReasoningPrompt prompt)
{
    public static readonly IReadOnlyList<string> Stages = ["Evidence", "Latent preferences", "Current intent"];
    public const string PreferenceHeader = "Preference:";
    public const int StageTokens = 48;
    public const int ThoughtTokens = 120;
    public const int PreferenceTokens = 32;
    private const int MaxPreferenceChars = 200;
    private const int MaxPreferenceWords = 24;

    /// <summary>Tokens kept free for the thought, the headers and the preference line when the prompt is fitted.</summary>
    private const int Reserve = ThoughtTokens + PreferenceTokens + 48;

    private static readonly string[] StageStops = ["\n", "</think>", "<think>"];
    private static readonly string[] PreferenceStops = ["\n", "</", "<think>"];

    public IThoughtModel Model => model;

    public async Task<ReasonedPreference> ThinkAsync(IReadOnlyList<HistoryEntry> history, string? typed, Action<string> onThought,
        CancellationToken cancellationToken)
    {
        var text = prompt.Render(history, typed, p => model.CountTokens(p, "") + Reserve <= model.ContextLength);
        var answer = new System.Text.StringBuilder();
        void Write(string piece)
        {
            answer.Append(piece);
            onThought(piece);
        }

        var promptTokens = 0;
        var generated = 0;
        Write("<think>\n");
        foreach (var stage in Stages)
        {
            Write(stage + ":");
            var budget = Math.Min(StageTokens, ThoughtTokens - generated);
            if (budget > 0)
            {
                var line = await model.ContinueAsync(text, answer.ToString(), budget, StageStops, onThought, cancellationToken).ConfigureAwait(false);
                answer.Append(line.Text);
                promptTokens = promptTokens == 0 ? line.PromptTokens : promptTokens;
                generated += line.GeneratedTokens;
            }
            Write("\n");
        }
        Write("</think>");
        var thought = answer.ToString();

        answer.Append('\n').Append(PreferenceHeader);
        var written = await model.ContinueAsync(text, answer.ToString(), PreferenceTokens, PreferenceStops, _ => { }, cancellationToken).ConfigureAwait(false);
        generated += written.GeneratedTokens;
        var preference = Clean(written.Text);
        if (preference is not null) return new ReasonedPreference(thought, preference, false, promptTokens, generated);
        var fallback = string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();
        return new ReasonedPreference(thought, fallback, true, promptTokens, generated);
    }

    /// <summary>
    /// The preference line with control characters and runs of whitespace made single spaces, without quotes and
    /// trailing punctuation, and at most <see cref="MaxPreferenceWords"/> words; null when nothing with a letter is left.
    /// </summary>
    internal static string? Clean(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(c => !char.IsControl(c)).ToArray())).Where(w => w.Length > 0).ToList();
        var line = string.Join(' ', words.Take(MaxPreferenceWords)).Trim('"', '\'', '`', '*', ' ', '.', ',', ';', ':').Trim();
        if (line.StartsWith(PreferenceHeader, StringComparison.OrdinalIgnoreCase)) line = line[PreferenceHeader.Length..].Trim();
        if (!line.Any(char.IsLetter)) return null;
        return line.Length <= MaxPreferenceChars ? line : line[..MaxPreferenceChars].TrimEnd();
    }
}
