using Mender.Llm.Kernels;
using Xunit;

namespace Mender.Llm.Tests.Kernels;

/// <summary>Tests that switch the process-wide kernel path run alone, so they do not switch it under one another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SimdPathCollection
{
    public const string Name = "kernel path switch";

    /// <summary>The paths this CPU can run, as theory data.</summary>
    public static TheoryData<string> AvailablePaths()
    {
        var data = new TheoryData<string>();
        foreach (var path in Enum.GetValues<SimdPath>())
            if (path <= KernelPaths.Best)
                data.Add(path.ToString());
        return data;
    }

    /// <summary>Runs <paramref name="action"/> with every kernel on <paramref name="pathName"/>, then restores the path.</summary>
    public static void With(string pathName, Action action)
    {
        var previous = KernelPaths.Force(Enum.Parse<SimdPath>(pathName));
        try
        {
            action();
        }
        finally
        {
            KernelPaths.Force(previous);
        }
    }
}
