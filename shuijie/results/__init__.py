"""After the check (第十七、十九、二十五、二十六条): results, publication, deadlines."""
