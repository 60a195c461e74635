namespace Mender.Data;

/// <summary>The dataset formats <see cref="DatasetLoader"/> recognises.</summary>
public enum DatasetFormat
{
    /// <summary>Our normalized cache: manifest.json + dataset.bin.</summary>
    Cache,

    /// <summary>Amazon review JSON lines (2014 or 2018 edition), with an optional meta file.</summary>
    AmazonReviews,

    /// <summary>An Amazon meta file alone: an item catalogue without users.</summary>
    AmazonMeta,

    /// <summary>sequences.txt (+ items.jsonl).</summary>
    Sequence,

    /// <summary>RecBole atomic files .inter (+ .item, .user).</summary>
    RecBole,

    /// <summary>Steam games metadata: an item catalogue without users.</summary>
    Steam,
}
