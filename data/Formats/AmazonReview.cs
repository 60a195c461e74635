using System.Globalization;
using System.Text.Json;
using Mender.Data.Text;

namespace Mender.Data.Formats;

/// <summary>
/// One line of an Amazon review file (2014 and 2018 share the fields we use): reviewerID, asin, overall, unixReviewTime
/// (or reviewTime "MM D, YYYY"), summary, reviewText. Other fields are skipped unread.
/// </summary>
internal readonly record struct AmazonReview(string User, string Asin, long Timestamp, float? Rating, string? Summary, string? Text)
{
    public static AmazonReview Parse(ReadOnlySpan<byte> line)
    {
        RecordLine.RequireUtf8(line);
        var reader = new Utf8JsonReader(line);
        string? user = null, asin = null, summary = null, text = null, reviewTime = null;
        long? unixTime = null;
        float? rating = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new FormatException("expected a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("reviewerID"u8)) user = ReadText(ref reader, "reviewerID");
                else if (reader.ValueTextEquals("asin"u8)) asin = ReadText(ref reader, "asin");
                else if (reader.ValueTextEquals("overall"u8)) rating = (float?)ReadNumber(ref reader, "overall");
                else if (reader.ValueTextEquals("unixReviewTime"u8)) unixTime = (long?)ReadNumber(ref reader, "unixReviewTime");
                else if (reader.ValueTextEquals("reviewTime"u8)) reviewTime = ReadText(ref reader, "reviewTime");
                else if (reader.ValueTextEquals("summary"u8)) summary = ReadText(ref reader, "summary");
                else if (reader.ValueTextEquals("reviewText"u8)) text = ReadText(ref reader, "reviewText");
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new FormatException("expected a JSON object");
            if (reader.Read()) throw new FormatException("unexpected text after the JSON object");
        }
        catch (JsonException ex)
        {
            throw new FormatException("invalid JSON: " + ex.Message, ex);
        }

        if (string.IsNullOrWhiteSpace(user)) throw new FormatException("missing field 'reviewerID'");
        if (string.IsNullOrWhiteSpace(asin)) throw new FormatException("missing field 'asin'");
        var timestamp = unixTime
            ?? (reviewTime is not null ? ParseReviewTime(reviewTime) : throw new FormatException("missing field 'unixReviewTime'"));
        return new AmazonReview(user, asin, timestamp, rating, summary, text);
    }

    private static string? ReadText(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new FormatException($"field '{field}' should be a string, found {reader.TokenType}"),
        };
    }

    private static double? ReadNumber(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetDouble(),
            JsonTokenType.Null => null,
            JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
            _ => throw new FormatException($"field '{field}' should be a number, found {reader.TokenType}"),
        };
    }

    /// <summary>Amazon's human date, e.g. "09 1, 2016", as unix seconds at midnight UTC.</summary>
    private static long ParseReviewTime(string text)
    {
        if (!DateTime.TryParseExact(text.Trim(), ["MM d, yyyy", "M d, yyyy", "MM dd, yyyy"], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            throw new FormatException($"field 'reviewTime' is not a date like \"09 1, 2016\": \"{Excerpt.Of(text)}\"");
        return new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeSeconds();
    }
}
