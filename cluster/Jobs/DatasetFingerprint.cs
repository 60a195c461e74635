using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mender.Data;

namespace Mender.Cluster.Jobs;

/// <summary>
/// What the submitter and every silo must agree on before a silo writes a row: the users, their histories with the
/// review text the prompts are made of, and the catalogue. A silo that loads the job's dataset path and gets another
/// fingerprint (another copy, another version) refuses the job instead of writing rows that mix two datasets.
/// </summary>
public static class DatasetFingerprint
{
    /// <summary>A SHA-256 over the users, their histories with review texts, and the catalogue.</summary>
    public static string Of(Dataset dataset)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text ?? "\u0001"));
            hash.AppendData([0]);
        }
        Add(CatalogueFingerprint.Of(dataset));
        foreach (var user in dataset.Users.OrderBy(u => u.Id))
        {
            Add(user.ExternalId);
            foreach (var interaction in user.Interactions)
            {
                Add(interaction.ItemId.ToString(CultureInfo.InvariantCulture));
                Add(interaction.Timestamp.ToString(CultureInfo.InvariantCulture));
                Add(interaction.Rating?.ToString("R", CultureInfo.InvariantCulture));
                Add(interaction.Summary);
                Add(interaction.ReviewText);
            }
        }
        return $"{dataset.Users.Count}u:{dataset.Items.Count}i:{Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}";
    }

    /// <summary>Throws naming both fingerprints when <paramref name="dataset"/> is not the job's.</summary>
    public static void Check(string expected, Dataset dataset, string path, string who)
    {
        var actual = Of(dataset);
        if (actual != expected)
            throw new InvalidDataException(
                $"{who} sees another dataset at '{path}' than the job was submitted with (fingerprint {actual}, the job's is {expected}); every silo needs the same copy");
    }
}
