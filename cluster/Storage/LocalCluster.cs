using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mender.Cluster.Storage;

/// <summary>
/// <c>--cluster localhost</c>: a cluster on one machine with nothing to install. Membership is Orleans' development
/// clustering: the first silo started listens on Orleans' usual ports and keeps the membership, later silos and the
/// submitter find it there. The job tables are a SQLite file every process on the machine opens. A killed silo loses
/// no work (its lease expires and another silo takes it), but the first silo holds the membership and must outlive
/// the others; a cluster of several machines, or one that must survive any silo, uses PostgreSQL.
/// </summary>
public static class LocalCluster
{
    /// <summary>The <c>--cluster</c> value that names it.</summary>
    public const string Name = "localhost";

    /// <summary>Environment variable naming the job tables' file instead of <see cref="StorePath"/>'s default.</summary>
    public const string StoreVariable = "MENDER_LOCAL_CLUSTER";

    /// <summary>The first silo's silo-to-silo port, Orleans' usual one.</summary>
    public const int PrimarySiloPort = 11111;

    /// <summary>The first silo's gateway, where clients connect.</summary>
    public const int GatewayPort = 30000;

    /// <summary>Whether <paramref name="cluster"/> is <c>localhost</c>.</summary>
    public static bool Names(string cluster) => string.Equals(cluster.Trim(), Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The job tables: <c>$MENDER_LOCAL_CLUSTER</c>, else <c>cluster.db</c> in the user's local application data.</summary>
    public static string StorePath =>
        Environment.GetEnvironmentVariable(StoreVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : Path.Combine(UserFolder, "cluster.db");

    /// <summary>The user's <c>mender</c> folder in local application data (<c>~/.local/share/mender</c> on Linux).</summary>
    private static string UserFolder =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "mender");

    /// <summary>The first silo's address, which later silos join.</summary>
    public static IPEndPoint Primary => new(IPAddress.Loopback, PrimarySiloPort);

    /// <summary>How long a silo waits for another one on this machine to finish starting before it gives up.</summary>
    internal static readonly TimeSpan StartLockPatience = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Holds this user's silo start-up lock until disposed. Two silos started at the same instant would both find the
    /// first silo's port free and both try to be the first; under the lock the second looks only once the first has
    /// bound its ports, and joins it. The lock is the operating system's on an open file, so a killed silo leaves none.
    /// </summary>
    internal static async Task<IDisposable> HoldStartLockAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(UserFolder);
        var path = Path.Combine(UserFolder, "silo-start.lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < StartLockPatience)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new IOException($"another silo on this machine has held '{path}' for {StartLockPatience.TotalMinutes:0} minutes while starting: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Whether nothing listens on the first silo's port yet, so a silo starting now is the first.</summary>
    internal static bool PrimaryPortIsFree()
    {
        try
        {
            using var probe = new TcpListener(Primary);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whether the first silo's gateway accepts connections.</summary>
    internal static async Task<bool> GatewayAnswersAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, GatewayPort, patience.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
