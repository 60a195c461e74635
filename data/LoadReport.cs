namespace Mender.Data;

/// <summary>
/// What a loader did besides reading records: files read, malformed lines skipped (only with
/// <see cref="DatasetLoadOptions.SkipBad"/>), and notes on records merged or dropped, so that nothing is lost silently.
/// </summary>
public sealed class LoadReport
{
    /// <summary>How many skipped lines keep their message in <see cref="SkippedExamples"/>.</summary>
    public const int MaxExamples = 5;

    private readonly List<string> files = [];
    private readonly List<string> examples = [];
    private readonly List<string> notes = [];

    /// <summary>The files read.</summary>
    public IReadOnlyList<string> Files => files;

    /// <summary>Lines skipped as malformed (with --skip-bad).</summary>
    public int SkippedLines { get; private set; }

    /// <summary>The messages of the first few skipped lines (file, line number, reason, snippet).</summary>
    public IReadOnlyList<string> SkippedExamples => examples;

    /// <summary>Records merged or dropped for a stated reason, and filters applied.</summary>
    public IReadOnlyList<string> Notes => notes;

    internal void AddFile(string path) => files.Add(path);

    internal void AddSkipped(string message)
    {
        SkippedLines++;
        if (examples.Count < MaxExamples) examples.Add(message);
    }

    internal void AddSkipped(int count, IEnumerable<string> messages)
    {
        SkippedLines += count;
        foreach (var message in messages)
            if (examples.Count < MaxExamples) examples.Add(message);
    }

    internal void AddNote(string note) => notes.Add(note);

    internal LoadReport Copy()
    {
        var copy = new LoadReport { SkippedLines = SkippedLines };
        copy.files.AddRange(files);
        copy.examples.AddRange(examples);
        copy.notes.AddRange(notes);
        return copy;
    }
}
