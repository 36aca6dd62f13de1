target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%0 = type { i32, i32, i32, i32, i32, i32 }
%1 = type { [6 x i8], [6 x i8], i16 }
%struct.anon = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_cpu* }
%struct.kecleon_prof_cpu = type { i64, i64 }
%struct.anon.0 = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_counters* }
%struct.kecleon_prof_counters = type { [6 x i64] }
%struct.anon.1 = type { [6 x i32]*, [1 x i32]*, i32*, %struct.kecleon_prof_samples* }
%struct.kecleon_prof_samples = type { [512 x %struct.kecleon_prof_sample] }
%struct.kecleon_prof_sample = type { i64, i32, i32, [32 x i8] }
%struct.anon.2 = type { [6 x i32]*, [32 x i32]*, i32*, %struct.kecleon_prof_packet* }
%struct.kecleon_prof_packet = type { i64, i32, i32, [256 x i8] }

@llvm.compiler.used = appending global [6 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%0*)* @branch_counters to i8*), i8* bitcast (%struct.anon.0* @kecleon_prof_branches to i8*), i8* bitcast (%struct.anon.2* @kecleon_prof_packets to i8*), i8* bitcast (%struct.anon.1* @kecleon_prof_ring to i8*), i8* bitcast (%struct.anon* @kecleon_prof_state to i8*)], section "llvm.metadata"
@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1
@kecleon_prof_state = dso_local global %struct.anon zeroinitializer, section ".maps", align 8
@kecleon_prof_branches = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8
@kecleon_prof_ring = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8
@kecleon_prof_packets = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8

define dso_local i32 @branch_counters(%0* nocapture noundef readonly %0) #0 section "xdp" {
kecleon.profile:
  %kecleon.sampled1 = call i32 @kecleon_prof_enter()
  %1 = icmp eq i32 %kecleon.sampled1, 2
  br i1 %1, label %kecleon.sampled, label %2, !prof !{!"branch_weights", i32 1, i32 63}

2:
  %3 = getelementptr inbounds %0, %0* %0, i64 0, i32 0
  %4 = load i32, i32* %3, align 4, !tbaa
  %5 = zext i32 %4 to i64
  %6 = getelementptr inbounds %0, %0* %0, i64 0, i32 1
  %7 = load i32, i32* %6, align 4, !tbaa
  %8 = zext i32 %7 to i64
  %9 = inttoptr i64 %8 to i8*
  %10 = inttoptr i64 %5 to %1*
  %11 = getelementptr inbounds %1, %1* %10, i64 1, i32 0, i64 0
  %12 = icmp ugt i8* %11, %9
  br i1 %12, label %26, label %13, !kecleon.branch

13:
  %14 = getelementptr inbounds %1, %1* %10, i64 0, i32 2
  %15 = load i16, i16* %14, align 1, !tbaa
  %16 = icmp eq i16 %15, 8
  br i1 %16, label %22, label %17, !kecleon.branch

17:
  %18 = getelementptr inbounds %1, %1* %10, i64 0, i32 0, i64 0
  %19 = load i8, i8* %18, align 1, !tbaa
  %20 = and i8 %19, 1
  %21 = icmp eq i8 %20, 0
  br i1 %21, label %26, label %22, !kecleon.branch

22:
  %23 = phi i32 [ 4, %13 ], [ 5, %17 ]
  %24 = tail call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %23, i64 noundef 0) #7
  %25 = trunc i64 %24 to i32
  br label %26

26:
  %27 = phi i32 [ 1, %2 ], [ 2, %17 ], [ %25, %22 ]
  ret i32 %27

kecleon.sampled:
  %28 = bitcast %0* %0 to i8*
  call void @kecleon_prof_packet(i8* %28)
  %29 = call i32 @branch_counters.kecleon.profiled(%0* %0)
  ret i32 %29
}

define internal i32 @branch_counters.kecleon.profiled(%0* nocapture noundef readonly %0) #2 section ".text" {
  %2 = call i64* @kecleon_prof_counter_slot(i32 0)
  %3 = getelementptr inbounds %0, %0* %0, i64 0, i32 0
  %4 = load i32, i32* %3, align 4, !tbaa
  %5 = zext i32 %4 to i64
  %6 = getelementptr inbounds %0, %0* %0, i64 0, i32 1
  %7 = load i32, i32* %6, align 4, !tbaa
  %8 = zext i32 %7 to i64
  %9 = inttoptr i64 %8 to i8*
  %10 = inttoptr i64 %5 to %1*
  %11 = getelementptr inbounds %1, %1* %10, i64 1, i32 0, i64 0
  %12 = icmp ugt i8* %11, %9
  %13 = zext i1 %12 to i32
  call void @kecleon_prof_branch(i64* %2, i32 0, i32 %13)
  br i1 %12, label %29, label %14, !kecleon.branch

14:
  %15 = getelementptr inbounds %1, %1* %10, i64 0, i32 2
  %16 = load i16, i16* %15, align 1, !tbaa
  %17 = icmp eq i16 %16, 8
  %18 = zext i1 %17 to i32
  call void @kecleon_prof_branch(i64* %2, i32 2, i32 %18)
  br i1 %17, label %25, label %19, !kecleon.branch

19:
  %20 = getelementptr inbounds %1, %1* %10, i64 0, i32 0, i64 0
  %21 = load i8, i8* %20, align 1, !tbaa
  %22 = and i8 %21, 1
  %23 = icmp eq i8 %22, 0
  %24 = zext i1 %23 to i32
  call void @kecleon_prof_branch(i64* %2, i32 4, i32 %24)
  br i1 %23, label %29, label %25, !kecleon.branch

25:
  %26 = phi i32 [ 4, %14 ], [ 5, %19 ]
  %27 = tail call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %26, i64 noundef 0) #7
  %28 = trunc i64 %27 to i32
  br label %29

29:
  %30 = phi i32 [ 1, %1 ], [ 2, %19 ], [ %28, %25 ]
  ret i32 %30
}

define internal i64* @kecleon_prof_counter_slot(i32 noundef %0) local_unnamed_addr #2 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_branch(i64* noundef %0, i32 noundef %1, i32 noundef %2) local_unnamed_addr #3 {
  ; profile_prelude.bpf.c
}

declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #4

declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #4

define internal i32 @kecleon_prof_enter() local_unnamed_addr #2 {
  ; profile_prelude.bpf.c
}

define internal i32 @kecleon_prof_keys_sampled() local_unnamed_addr #2 {
  ; profile_prelude.bpf.c
}

define internal %struct.kecleon_prof_cpu* @kecleon_prof_this_cpu() local_unnamed_addr #2 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_lookup(%struct.kecleon_prof_cpu* noundef %0, i32 noundef %1, i8* nocapture noundef readonly %2, i32 noundef %3) local_unnamed_addr #2 {
  ; profile_prelude.bpf.c
}

declare void @llvm.assume(i1 noundef) #5

declare void @llvm.memcpy.p0i8.p0i8.i64(i8* noalias nocapture writeonly, i8* noalias nocapture readonly, i64, i1 immarg) #6

define internal void @kecleon_prof_packet(i8* noundef %0) local_unnamed_addr #2 {
  ; profile_prelude.bpf.c
}

define internal void @kecleon_prof_key(i32 noundef %0, i32 noundef %1, i8* nocapture noundef readonly %2, i32 noundef %3) local_unnamed_addr #2 {
  ; profile_prelude.bpf.c
}

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { alwaysinline nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #3 = { alwaysinline nofree nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #4 = { argmemonly nofree nosync nounwind willreturn }
attributes #5 = { inaccessiblememonly nofree nosync nounwind willreturn }
attributes #6 = { argmemonly nofree nounwind willreturn }
attributes #7 = { nounwind }
