namespace Mender.Server.Tests;

/// <summary>
/// A fact that drives Debian's chromium (`apt-get install chromium`): skipped with a clear message when it is not
/// installed (or, with <see cref="NeedsSharedData"/>, when ../shared is absent), unless CI=true, where either is a failure.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath) && !SharedData.IsCi)
            Skip = $"{ExecutablePath} not found (apt-get install -y chromium); set CI=true to make this a failure";
    }

    /// <summary>The test also needs ../shared (a model for reasoning mode).</summary>
    public bool NeedsSharedData
    {
        get => false;
        init
        {
            if (value && Skip is null) Skip = SharedData.SkipReason;
        }
    }
}
