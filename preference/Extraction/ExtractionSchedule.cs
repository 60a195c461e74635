using Mender.Data;

namespace Mender.Preference.Extraction;

/// <summary>
/// Which prompts the extraction job sends, following Mender: only the user's last <see cref="HistoryLimit"/> interactions
/// are considered; every position in them is a time step with one prompt; the prompt for step <c>s</c> shows the window
/// of up to <see cref="WindowSize"/> reviewed items ending at <c>s</c>, never reaching before the first considered interaction.
/// <para>
/// With <c>n</c> interactions, <c>first = max(0, n - HistoryLimit)</c>: steps are <c>first .. n-1</c> (so <c>min(n, HistoryLimit)</c>
/// prompts per user) and step <c>s</c>'s window is <c>max(first, s - WindowSize + 1) .. s</c>. The preferences of step
/// <c>s</c> describe the user after reviewing item <c>s</c>; a recommendation target at position <c>p</c> is matched
/// against step <c>p - 1</c>, so its own review never leaks into its preference. The last step describes the user now.
/// </para>
/// </summary>
public sealed record ExtractionSchedule(int HistoryLimit = 20, int WindowSize = 5)
{
    /// <summary>The schedule Mender uses: the last 20 steps of a history, each over a window of up to 5 reviews.</summary>
    public static ExtractionSchedule Mender { get; } = new();

    /// <summary>The first history position that gets a prompt (and that windows may reach).</summary>
    public int FirstStep(User user) => Math.Max(0, user.Interactions.Count - HistoryLimit);

    /// <summary>The steps to extract for one user, oldest first.</summary>
    public IEnumerable<ExtractionStep> Steps(User user)
    {
        if (HistoryLimit < 1 || WindowSize < 1)
            throw new ArgumentException($"history limit ({HistoryLimit}) and window size ({WindowSize}) must be at least 1");
        var first = FirstStep(user);
        for (var step = first; step < user.Interactions.Count; step++)
            yield return new ExtractionStep(user, step, Math.Max(first, step - WindowSize + 1));
    }

    /// <summary>The steps to extract for all the users, user by user.</summary>
    public IEnumerable<ExtractionStep> Steps(IEnumerable<User> users) => users.SelectMany(Steps);
}
