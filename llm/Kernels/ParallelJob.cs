namespace Mender.Llm.Kernels;

/// <summary>
/// Work run by every thread of a <see cref="WorkerPool"/> at once. Jobs are allocated once and refilled per call, so
/// running one allocates nothing; they share out their work themselves (usually through an atomic counter).
/// </summary>
internal abstract class ParallelJob
{
    /// <summary>Runs this thread's share; <paramref name="worker"/> is 0 for the calling thread.</summary>
    public abstract void Execute(int worker, int workers);
}
