using Mender.Benchmark.Results;

namespace Mender.Benchmark.Tests;

public sealed class TrainingRecordTests
{
    private static TrainingRecord Note(DateTimeOffset started, double wall, long steps, string reason) =>
        new(new Provenance("mender train beauty --mode tiger --max-minutes 180", "abc123", started, wall,
            new Dictionary<string, ulong> { ["runs/tiger"] = 1 }, 2, "Linux"), steps, steps / 2, reason);

    [Fact]
    public void ACommandsLaterNotesReplaceItsEarlierOnesAndAKilledCommandKeepsItsLastNote()
    {
        var folder = Directory.CreateTempSubdirectory("training-record-");
        try
        {
            var first = DateTimeOffset.UnixEpoch;
            Note(first, 600, 1000, TrainingRecord.Unfinished).WriteTo(folder.FullName);
            Note(first, 1200, 2000, TrainingRecord.Unfinished).WriteTo(folder.FullName);
            // The first command was killed there; the same command line resumed the run and ended it.
            var second = first.AddHours(1);
            Note(second, 300, 2500, TrainingRecord.Unfinished).WriteTo(folder.FullName);
            Note(second, 900, 3000, "TimeLimit").WriteTo(folder.FullName);

            var all = TrainingRecord.ReadAll(folder.FullName);

            Assert.Equal([(1200.0, 2000L, TrainingRecord.Unfinished), (900.0, 3000L, "TimeLimit")],
                all.Select(r => (r.Provenance.WallSeconds, r.Steps, r.StopReason)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
