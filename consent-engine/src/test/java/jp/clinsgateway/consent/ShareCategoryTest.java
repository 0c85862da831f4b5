package jp.clinsgateway.consent;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShareCategoryTest {

    @Test
    void sixItemsAndThreeDocuments() {
        assertEquals(6, Arrays.stream(ShareCategory.values()).filter(c -> c.kind() == ShareCategory.Kind.ITEM).count());
        assertEquals(3, Arrays.stream(ShareCategory.values()).filter(c -> c.kind() == ShareCategory.Kind.DOCUMENT).count());
    }

    @Test
    void everyCategoryIsFoundByItsCode() {
        for (ShareCategory category : ShareCategory.values()) {
            assertEquals(category, ShareCategory.fromCode(category.code()).orElseThrow());
        }
    }
}
