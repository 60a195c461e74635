namespace Mender.Cluster;

/// <summary>The cluster has no silo running (or none answers), so submitted work would wait forever; a caller can say how to start one.</summary>
public sealed class NoSiloException : IOException
{
    /// <summary>Reports <paramref name="message"/>, caused by <paramref name="inner"/> when the client could not connect.</summary>
    public NoSiloException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
