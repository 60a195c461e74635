namespace Mender.Preference.Storage;

/// <summary>
/// Where an <see cref="Extraction.ExtractionJob"/> keeps its rows: the single-process SQLite <see cref="PreferenceStore"/>,
/// or the cluster's PostgreSQL table shared by every silo. The job only needs to claim the store, learn which rows are
/// already finished, and write rows as they come in.
/// </summary>
public interface IStepStore
{
    /// <summary>Where the rows go, for messages and summaries.</summary>
    string Path { get; }

    /// <summary>Claims the store for a dataset and extractor, or checks that it already belongs to them.</summary>
    void Bind(string dataset, string extractor, string? model);

    /// <summary>The rows no run needs to do again: completed or failed.</summary>
    Dictionary<(string User, int Step), StepStatus> FinishedSteps();

    /// <summary>Writes a batch of rows in one committed transaction; a later row for the same (user, step) wins.</summary>
    void Write(IReadOnlyCollection<StoredStep> rows);
}
