using System.Security.Cryptography;
using System.Text;

namespace Mender.Data;

/// <summary>
/// A short hash of a catalogue's item ids and titles in dense-id order. A checkpoint scores items by dense id, so it is
/// only meaningful for the catalogue it was trained on: the same items in the same order. Ids alone would not do: two
/// generated or re-exported catalogues can number different items alike. Checkpoints record it; opening one checks it.
/// </summary>
public static class CatalogueFingerprint
{
    /// <summary>The fingerprint of the catalogue of <paramref name="dataset"/>.</summary>
    public static string Of(Dataset dataset)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> separator = [0];
        foreach (var item in dataset.Items)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(item.ExternalId));
            hash.AppendData(separator);
            hash.AppendData(Encoding.UTF8.GetBytes(item.Title));
            hash.AppendData(separator);
        }
        return $"{dataset.Items.Count}:{Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}";
    }

    /// <summary>
    /// Throws when <paramref name="recorded"/> (a checkpoint's fingerprint) is not that of <paramref name="dataset"/>.
    /// Checkpoints written before fingerprints were recorded (null) are accepted as they are.
    /// </summary>
    public static void Check(string? recorded, Dataset dataset, string checkpoint)
    {
        if (recorded is null) return;
        var actual = Of(dataset);
        if (recorded != actual)
            throw new InvalidDataException(
                $"checkpoint {checkpoint} was trained on another catalogue than dataset '{dataset.Name}' (catalogue fingerprint {recorded}, the dataset's is {actual})");
    }
}
