using Mender.Data;

namespace Mender.Preference.Extraction;

/// <summary>Settings of an extraction run.</summary>
public sealed record ExtractionOptions
{
    /// <summary>Prompts in flight at once; a batching engine decodes them together.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Attempts per prompt before the row is recorded as failed (a deterministic extractor gets one).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Only the first N users (by dense id), for quick runs.</summary>
    public int? LimitUsers { get; init; }

    /// <summary>Which steps of each user's history get preferences, and over which review windows.</summary>
    public ExtractionSchedule Schedule { get; init; } = ExtractionSchedule.Mender;

    /// <summary>The most preferences the extractor returns for one window.</summary>
    public int MaxPreferences { get; init; } = 5;

    /// <summary>Longer reviews are cut to this many characters in the prompt.</summary>
    public int MaxReviewChars { get; init; } = 700;

    /// <summary>The users a job over <paramref name="dataset"/> prompts for, by dense id (the first <see cref="LimitUsers"/> when set).</summary>
    public IReadOnlyList<User> UsersOf(Dataset dataset)
    {
        var users = dataset.Users.OrderBy(u => u.Id).AsEnumerable();
        if (LimitUsers is { } limit) users = users.Take(limit);
        return users.ToList();
    }

    /// <summary>Throws when an option is out of range, before any work starts.</summary>
    public void Validate()
    {
        if (Parallelism < 1) throw new ArgumentException($"parallelism must be at least 1 (got {Parallelism})");
        if (MaxAttempts < 1) throw new ArgumentException($"attempts must be at least 1 (got {MaxAttempts})");
        if (LimitUsers is < 1) throw new ArgumentException($"user limit must be at least 1 (got {LimitUsers})");
        if (MaxPreferences < 1) throw new ArgumentException($"preferences per step must be at least 1 (got {MaxPreferences})");
        if (MaxReviewChars < 20) throw new ArgumentException($"reviews cut to fewer than 20 characters say nothing (got {MaxReviewChars})");
    }
}
