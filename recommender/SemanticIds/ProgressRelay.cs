namespace Mender.Recommender.SemanticIds;

/// <summary>
/// Reports on the calling thread. <see cref="Progress{T}"/> posts each report to the thread pool, so a late "50%" can
/// overwrite a "100%"; a relay keeps reports in the order they were made.
/// </summary>
public sealed class ProgressRelay<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
