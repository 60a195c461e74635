namespace Mender.TestSupport;

/// <summary>
/// Seeded, time-bounded mutation fuzzing of valid inputs: each round takes a valid input, damages it the ways real files
/// get damaged (flipped bits, bytes set to edge values, cut, repeated or deleted ranges, spliced with another input)
/// and hands it to a check, which fails the test when the parser under test throws anything but a user-facing error.
/// The same seed gives the same inputs, so a failure names the seed and round that reproduce it.
/// </summary>
public static class MutationFuzzer
{
    private static readonly byte[] Interesting = [0, 1, 0x7f, 0x80, 0xff, (byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',',
        (byte)':', (byte)'\n', (byte)'\t', (byte)' ', (byte)'\\', (byte)'-', (byte)'9', (byte)'e', (byte)'\''];

    /// <summary>
    /// Runs <paramref name="check"/> on mutated inputs until <paramref name="budget"/> has passed; returns how many ran.
    /// <paramref name="isUserError"/> tells the errors a parser may throw; anything else fails with the seed and round.
    /// </summary>
    public static int Run(IReadOnlyList<byte[]> seeds, int seed, TimeSpan budget, Action<byte[]> check, Func<Exception, bool> isUserError)
    {
        if (seeds.Count == 0) throw new ArgumentException("no seed inputs", nameof(seeds));
        var random = new Random(seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rounds = 0;
        while (clock.Elapsed < budget)
        {
            var input = Mutate(seeds, random);
            try
            {
                check(input);
            }
            catch (Exception e) when (!isUserError(e))
            {
                throw new Xunit.Sdk.XunitException(
                    $"round {rounds} of seed {seed} ({input.Length} bytes) threw {e.GetType().Name}: {e.Message}\n{e}");
            }
            catch (Exception)
            {
                // A user-facing error: the parser refused the damaged input as it should.
            }
            rounds++;
        }
        return rounds;
    }

    public static byte[] Mutate(IReadOnlyList<byte[]> seeds, Random random)
    {
        var data = new List<byte>(seeds[random.Next(seeds.Count)]);
        var edits = 1 + random.Next(random.Next(2) == 0 ? 2 : 8);
        for (var e = 0; e < edits; e++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    data.RemoveRange(at, random.Next(Math.Min(64, data.Count - at) + 1));
                    break;
                case 3:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 4 when data.Count > 0:
                    var length = random.Next(1, Math.Min(256, data.Count - at) + 1);
                    data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                    break;
                case 5:
                    var other = seeds[random.Next(seeds.Count)];
                    var from = random.Next(other.Length + 1);
                    data.InsertRange(at, other.Skip(from).Take(random.Next(128)));
                    break;
                default:
                    data.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
            }
        }
        return [.. data];
    }
}
